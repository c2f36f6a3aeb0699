import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scanTree } from "../../src/drift/scan-tree.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("a refused name is written out as the operator would type it", () => {
  it("keeps spaces and printable ASCII as they are, and writes out only the bytes that are not", async () => {
    const root = mkdtempSync(join(tmpdir(), "pw-odd-name-"));
    made.push(root);
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x61, 0x20, 0x7e, 0x21, 0xff])]), "x");
    const result = await scanTree(root, { threads: 0, ignore: () => false });
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([{ path: root, message: "holds a name that is not valid UTF-8 (`a ~!\\xff`); rename it to UTF-8, a manifest records every path as UTF-8 text" }]);
  });
});
