import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { createHash } from "node:crypto";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { FileEntry } from "./manifest-schema.js";

/** Large reads cost fewer system calls per byte hashed; past 1 MiB, larger reads stop helping. */
export const READ_BUFFER_BYTES = 1024 * 1024;

// O_NOFOLLOW: should the file be swapped for a symlink after it was listed, the open fails
// instead of reading whatever the link points at. O_NONBLOCK: should it be swapped for a FIFO, the
// open returns at once instead of waiting for a writer forever, and fstat says what it is now;
// on a regular file the flag changes nothing.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export type HashedFile = { ok: true; entry: FileEntry } | { ok: false; problem: Diagnostic };

/**
 * Reads one regular file under `base` and records it. Synchronous on purpose: it runs in hashing
 * threads (or inline for small trees), where a blocking read is the fastest read, and the hash is
 * computed as the bytes arrive so no file is ever held whole in memory.
 */
export function hashFileSync(base: string, path: string, buffer: Buffer): HashedFile {
  const absolute = `${base}/${path}`;
  const fail = (message: string): HashedFile => ({ ok: false, problem: { path: absolute, message } });
  let fd: number;
  try {
    fd = openSync(absolute, OPEN_FLAGS);
  } catch (error) {
    return fail(unreadable(error));
  }
  try {
    const info = fstatSync(fd, { bigint: true });
    if (!info.isFile()) return fail("was replaced while the tree was scanned; scan again when the tree is quiet");
    const hash = createHash("sha256");
    let size = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, size);
      if (read === 0) break;
      hash.update(read === buffer.length ? buffer : buffer.subarray(0, read));
      size += read;
    }
    if (BigInt(size) !== info.size) return fail(`changed while it was read (${info.size} bytes at open, ${size} read); scan again when the tree is quiet`);
    // A rewrite in place keeps the size but moves the change time (which no writer can set back):
    // the bytes hashed may then be half old, half new, a content that never existed.
    const after = fstatSync(fd, { bigint: true });
    if (after.ctimeNs !== info.ctimeNs || after.mtimeNs !== info.mtimeNs || after.size !== info.size) {
      return fail("changed while it was read (written in place); scan again when the tree is quiet");
    }
    return { ok: true, entry: { path, type: "file", sha256: `sha256:${hash.digest("hex")}`, size, mode: octalMode(Number(info.mode)) } };
  } catch (error) {
    return fail(unreadable(error));
  } finally {
    closeSync(fd);
  }
}

// What each errno means for a path the walk has just listed: the tree changed under the scan.
const CHANGED = new Map([
  ["ENOENT", "was removed"],
  ["ENOTDIR", "was removed (a folder on its path is no longer a folder)"],
  ["ELOOP", "was replaced by a symlink"],
  ["ENXIO", "was replaced by a socket or device"],
]);

/**
 * Why a path the walk listed cannot be read, and what to do: a path that changed under the scan
 * needs a scan of a quiet tree, not other permissions, which only EACCES and EPERM call for. Not
 * `describeFsError` from src/fsutil: that module pulls in the document parser (and YAML), which
 * every hashing thread would then load at start for nothing.
 */
export function unreadable(error: unknown, cannot = "cannot be read"): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const change = CHANGED.get(code);
  if (change !== undefined) return `${change} while the tree was scanned; scan again when the tree is quiet`;
  if (code === "EACCES" || code === "EPERM") return `${cannot} (permission denied); run the scan as a user who may read the whole tree, or --ignore it`;
  return `${cannot} (${error instanceof Error ? error.message : String(error)}); fix it or --ignore it, and scan again`;
}

/** Permission bits with setuid, setgid and sticky, as four octal digits: `0644`, `4755`. */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}
