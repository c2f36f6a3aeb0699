import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/fsutil/atomic-write.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-atomic-refusals-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("writeFileAtomic over something it cannot replace", () => {
  it("fails when the target is a non-empty folder, and leaves no temp file beside it", async () => {
    const target = join(dir, "proposals.json");
    await mkdir(target);
    await writeFile(join(target, "keep"), "kept");
    await expect(writeFileAtomic(target, "{}")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["proposals.json"]);
    expect(await readFile(join(target, "keep"), "utf8")).toBe("kept");
  });
});

describe("writeFileAtomic's default mode", () => {
  it("writes a file others cannot read", async () => {
    const target = join(dir, "evidence.json");
    await writeFileAtomic(target, "{}");
    expect((await stat(target)).mode & 0o007).toBe(0);
    expect(await readFile(target, "utf8")).toBe("{}");
  });
});
