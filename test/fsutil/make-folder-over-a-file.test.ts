import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeFolder } from "../../src/fsutil/make-folder.js";

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-make-folder-"));
});
afterEach(async () => rm(temp, { recursive: true, force: true }));

describe("makeFolder where a file already is", () => {
  it("refuses with EEXIST instead of reporting a folder that is not there", async () => {
    const file = join(temp, "data");
    await writeFile(file, "not a folder");
    await expect(makeFolder(file)).rejects.toMatchObject({ code: "EEXIST" });
    await expect(makeFolder(file, 0o700)).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readFile(file, "utf8")).toBe("not a folder");
  });

  it("still accepts a folder that already exists", async () => {
    await makeFolder(join(temp, "receipts"));
    await expect(makeFolder(join(temp, "receipts"))).resolves.toBeUndefined();
  });
});
