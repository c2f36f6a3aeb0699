import { describe, expect, it } from "vitest";
import type { ChangedFile } from "../../src/forgejo/api-schemas.js";
import { changedFilesOnce, changedPaths } from "../../src/forgejo/changed-files-once.js";
import { ForgejoError } from "../../src/forgejo/forgejo-error.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";

describe("the changed paths of a listing", () => {
  it("come sorted, whatever order Forgejo listed them in, each once", () => {
    const files = [
      { filename: "evidence/z.json", status: "modified" },
      { filename: "evidence/a.json", status: "added" },
      { filename: "evidence/m/b.json", status: "added" },
      { filename: "evidence/a.json", status: "modified" },
    ] as ChangedFile[];
    expect(changedPaths(files, () => true).paths).toEqual(["evidence/a.json", "evidence/m/b.json", "evidence/z.json"]);
  });

  it("a path a compare lists as removed in one commit and added in another is kept, and marked deleted too", () => {
    const files = [
      { filename: "evidence/x.json", status: "removed" },
      { filename: "evidence/x.json", status: "added" },
    ] as ChangedFile[];
    const changed = changedPaths(files, () => true);
    expect(changed.paths).toEqual(["evidence/x.json"]);
    expect([...changed.deletedToo]).toEqual(["evidence/x.json"]);
  });
});

describe("a listing that failed, asked for by two steps of one job", () => {
  it("fails both alike with the same error, and Forgejo is asked once", async () => {
    let asked = 0;
    const failure = new ForgejoError("http", "changed files of o/r#7: Forgejo answered 500", 500);
    const reader = {
      pullFiles: async () => {
        asked++;
        throw failure;
      },
      compareFiles: async () => {
        asked++;
        throw failure;
      },
    } as unknown as ForgejoReader;
    const once = changedFilesOnce(reader);
    await expect(once.pullFiles("o/r", 7)).rejects.toBe(failure);
    await expect(once.pullFiles("o/r", 7)).rejects.toBe(failure);
    await expect(once.compareFiles("o/r", "a".repeat(40), "b".repeat(40))).rejects.toBe(failure);
    await expect(once.compareFiles("o/r", "a".repeat(40), "b".repeat(40))).rejects.toBe(failure);
    expect(asked).toBe(2);
  });

  it("a compare of another base is another listing", async () => {
    const asked: string[] = [];
    const reader = {
      compareFiles: async (_repo: string, base: string, head: string) => (asked.push(`${base.slice(0, 1)}...${head.slice(0, 1)}`), [{ filename: `${base.slice(0, 1)}.json`, status: "added" }]),
    } as unknown as ForgejoReader;
    const once = changedFilesOnce(reader);
    expect((await once.compareFiles("o/r", "a".repeat(40), "c".repeat(40))).map((f) => f.filename)).toEqual(["a.json"]);
    expect((await once.compareFiles("o/r", "b".repeat(40), "c".repeat(40))).map((f) => f.filename)).toEqual(["b.json"]);
    expect(asked).toEqual(["a...c", "b...c"]);
  });
});
