import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { folderState } from "../../src/config/folder-state.js";
import { readConfigFile } from "../../src/config/read-config-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-config-folders-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("PATCHWARDEN_CONFIG set but empty", () => {
  it("reads as unset: no file, no values", async () => {
    expect(await readConfigFile({ PATCHWARDEN_CONFIG: "" }, dir)).toEqual({ path: null, values: {} });
  });
});

describe("the state of a folder the operator names", () => {
  it("says a missing path is missing (it may still be made), a folder a folder, and a file a file", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "");
    expect(await folderState(join(dir, "absent"))).toEqual({ kind: "missing" });
    expect(await folderState(dir)).toEqual({ kind: "folder" });
    expect(await folderState(file)).toEqual({ kind: "unusable", problem: "is a file, not a folder" });
    expect(await folderState(join(file, "below"))).toEqual({ kind: "unusable", problem: "a part of the path is a file, not a folder" });
  });
});
