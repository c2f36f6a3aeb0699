import { describe, expect, it } from "vitest";
import type { ChangedFile } from "../../src/forgejo/api-schemas.js";
import { changedFilesOnce, changedPaths } from "../../src/forgejo/changed-files-once.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";

/** A reader whose listings name what was asked, and count how often each was asked. */
function countingReader() {
  const asked: string[] = [];
  const file = (filename: string): ChangedFile => ({ filename, status: "added" }) as ChangedFile;
  const reader = {
    pullFiles: async (repo: string, number: number) => (asked.push(`pull ${repo}#${number}`), [file(`${repo}/pull-${number}`)]),
    compareFiles: async (repo: string, base: string, head: string) => (asked.push(`compare ${repo} ${base}...${head}`), [file(`${repo}/${base}...${head}`)]),
  } as unknown as ForgejoReader;
  return { reader, asked };
}

describe("a reader that asks for each listing of changed files once", () => {
  it("asks once per listing, and never answers one listing with another's files", async () => {
    const { reader, asked } = countingReader();
    const once = changedFilesOnce(reader);
    const base = "b".repeat(40);
    const [h1, h2] = ["1".repeat(40), "2".repeat(40)];
    expect((await once.compareFiles("o/r", base, h1)).map((f) => f.filename)).toEqual([`o/r/${base}...${h1}`]);
    expect((await once.compareFiles("o/r", base, h2)).map((f) => f.filename)).toEqual([`o/r/${base}...${h2}`]);
    expect((await once.compareFiles("o/r", base, h1)).map((f) => f.filename)).toEqual([`o/r/${base}...${h1}`]);
    expect((await once.pullFiles("o/r", 7)).map((f) => f.filename)).toEqual(["o/r/pull-7"]);
    expect((await once.pullFiles("o/r", 8)).map((f) => f.filename)).toEqual(["o/r/pull-8"]);
    expect((await once.pullFiles("o/other", 7)).map((f) => f.filename)).toEqual(["o/other/pull-7"]);
    expect((await once.pullFiles("o/r", 7)).map((f) => f.filename)).toEqual(["o/r/pull-7"]);
    expect(asked).toEqual([`compare o/r ${base}...${h1}`, `compare o/r ${base}...${h2}`, "pull o/r#7", "pull o/r#8", "pull o/other#7"]);
  });
});

describe("the changed paths of a listing", () => {
  it("name as deleted too only paths also added or modified: a path only deleted is neither listed nor marked", () => {
    const files = [
      { filename: "evidence/kept.json", status: "added" },
      { filename: "evidence/kept.json", status: "removed" },
      { filename: "evidence/gone.json", status: "deleted" },
      { filename: "docs/readme.md", status: "modified" },
    ] as ChangedFile[];
    const changed = changedPaths(files, (path) => path.startsWith("evidence/"));
    expect(changed.paths).toEqual(["evidence/kept.json"]);
    expect([...changed.deletedToo]).toEqual(["evidence/kept.json"]);
  });
});
