import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hashFileSync, READ_BUFFER_BYTES, unreadable } from "../../src/drift/hash-file.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(name: string, bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-hash-file-"));
  made.push(dir);
  writeFileSync(join(dir, name), bytes);
  return dir;
}

describe("hashing one file", () => {
  it("records a quiet file's digest, size and mode", () => {
    const dir = folderWith("a.bin", Buffer.from("hello"));
    expect(hashFileSync(dir, "a.bin", Buffer.alloc(READ_BUFFER_BYTES))).toEqual({
      ok: true,
      entry: { path: "a.bin", type: "file", sha256: sha256Digest("hello"), size: 5, mode: "0644" },
    });
  });

  it("refuses a file written in place while it is read, though its size stays the same", async () => {
    // 64 MiB takes tens of milliseconds to hash, many clock ticks, and another process rewrites
    // its first byte every millisecond meanwhile, so the change time moves between start and end.
    const dir = folderWith("big.bin", Buffer.alloc(64 * 1024 * 1024, 1));
    const path = join(dir, "big.bin");
    const writer = spawn(process.execPath, ["-e", `const fs = require("node:fs"); const fd = fs.openSync(${JSON.stringify(path)}, "r+"); let i = 0; fs.writeSync(fd, "x", 0); process.stdout.write("go\\n"); setInterval(() => fs.writeSync(fd, String(i++ % 10), 0), 1);`], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => writer.stdout.once("data", () => resolve()));
      const hashed = hashFileSync(dir, "big.bin", Buffer.alloc(READ_BUFFER_BYTES));
      expect(hashed).toEqual({ ok: false, problem: { path, message: "changed while it was read (written in place); scan again when the tree is quiet" } });
    } finally {
      writer.kill("SIGKILL");
    }
  });

  it("refuses a file swapped for a FIFO after it was listed, at once, instead of waiting for a writer", () => {
    const dir = folderWith("listed-as-file", Buffer.from("x"));
    const path = join(dir, "listed-as-file");
    rmSync(path);
    execFileSync("mkfifo", [path]);
    // Should the open wait for a writer, this one comes after 3 s and lets the test end, slow and failing.
    const rescuer = spawn(process.execPath, ["-e", `setTimeout(() => require("node:fs").closeSync(require("node:fs").openSync(${JSON.stringify(path)}, "w")), 3000)`], { stdio: "ignore" });
    try {
      const started = performance.now();
      const hashed = hashFileSync(dir, "listed-as-file", Buffer.alloc(READ_BUFFER_BYTES));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(hashed).toEqual({ ok: false, problem: { path, message: "was replaced while the tree was scanned; scan again when the tree is quiet" } });
    } finally {
      rescuer.kill("SIGKILL");
    }
  }, 10_000);
});

describe("why a listed path cannot be read", () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });

  it.each([
    ["ENOENT", "was removed while the tree was scanned; scan again when the tree is quiet"],
    ["ENOTDIR", "was removed (a folder on its path is no longer a folder) while the tree was scanned; scan again when the tree is quiet"],
    ["ELOOP", "was replaced by a symlink while the tree was scanned; scan again when the tree is quiet"],
    ["EACCES", "cannot be read (permission denied); run the scan as a user who may read the whole tree, or --ignore it"],
    ["EPERM", "cannot be read (permission denied); run the scan as a user who may read the whole tree, or --ignore it"],
    ["EIO", "cannot be read (EIO: something); fix it or --ignore it, and scan again"],
  ])("%s: %s", (code, message) => {
    expect(unreadable(errno(code))).toBe(message);
  });

  it("says a file removed after it was listed changed under the scan, not that permissions are missing", () => {
    const dir = folderWith("listed.md", Buffer.from("x"));
    rmSync(join(dir, "listed.md"));
    expect(hashFileSync(dir, "listed.md", Buffer.alloc(READ_BUFFER_BYTES))).toEqual({ ok: false, problem: { path: join(dir, "listed.md"), message: "was removed while the tree was scanned; scan again when the tree is quiet" } });
  });
});
