import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hashFileSync, unreadable } from "../../src/drift/hash-file.js";
import { scanTree } from "../../src/drift/scan-tree.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-scan-edges-"));
  made.push(dir);
  return dir;
}
const REPLACED = "was replaced while the tree was scanned (by a symlink or another folder), so what was recorded under it may lie outside the tree; scan again when the tree is quiet";

describe("scanning a tree", () => {
  it("refuses a folder swapped for another folder at the same path while it was scanned", async () => {
    const root = tempDir();
    mkdirSync(join(root, "sub"));
    writeFileSync(join(root, "sub/a.txt"), "a");
    let swapped = false;
    const result = await scanTree(root, {
      threads: 0,
      ignore: (path) => {
        if (path === "sub/a.txt" && !swapped) {
          // Listed already: put a new folder with the same content in its place.
          swapped = true;
          renameSync(join(root, "sub"), join(root, "old"));
          mkdirSync(join(root, "sub"));
          writeFileSync(join(root, "sub/a.txt"), "a");
        }
        return path === "old" || path.startsWith("old/");
      },
    });
    expect(swapped).toBe(true);
    expect(result.problems).toEqual([{ path: `${root}/sub`, message: REPLACED }]);
  });

  it("refuses a symlink whose target is not UTF-8, writing its bytes out (backslash and DEL as escapes)", async () => {
    const root = tempDir();
    symlinkSync(Buffer.from([0x61, 0x5c, 0x62, 0x7f, 0xff]), Buffer.from(join(root, "bad")));
    const result = await scanTree(root, { threads: 0, ignore: () => false });
    expect(result.entries).toEqual([]);
    expect(result.problems).toEqual([{ path: `${root}/bad`, message: "is a symlink whose target is not valid UTF-8 (`a\\x5cb\\x7f\\xff`); point it at a UTF-8 path" }]);
  });

  it("names problems without a doubled slash when the folder is given with a trailing one", async () => {
    const root = tempDir();
    execFileSync("mkfifo", [join(root, "pipe")]);
    const result = await scanTree(`${root}/`, { threads: 0, ignore: () => false });
    expect(result.problems).toEqual([{ path: `${root}/pipe`, message: "is a FIFO; a deploy tree holds only files, folders and symlinks, so remove it or --ignore it" }]);
  });

  it("scans the file-system root itself (everything ignored) without a problem", async () => {
    expect(await scanTree("/", { threads: 0, ignore: () => true })).toEqual({ entries: [], problems: [] });
  });
});

describe("hashing one file", () => {
  it("hashes every byte when the reads fill the buffer exactly", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "f"), "0123456789ab");
    chmodSync(join(dir, "f"), 0o644);
    expect(hashFileSync(dir, "f", Buffer.alloc(4))).toEqual({ ok: true, entry: { path: "f", type: "file", sha256: sha256Digest("0123456789ab"), size: 12, mode: "0644" } });
  });

  it("says a path turned into a socket or device changed under the scan", () => {
    expect(unreadable(Object.assign(new Error("no such device"), { code: "ENXIO" }))).toBe("was replaced by a socket or device while the tree was scanned; scan again when the tree is quiet");
  });
});
