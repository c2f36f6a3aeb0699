import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { formatBytes } from "../document/parse-document.js";

/** Which file a read came from, as the open handle saw it: callers check it against a path. */
export interface ReadFileIdentity {
  dev: number;
  ino: number;
}

export type BoundedRead = { ok: true; bytes: Uint8Array; file: ReadFileIdentity } | { ok: false; problem: string; tooLarge: boolean; code?: string | undefined };

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, which may never come (the
// hourly gate would hang). It changes nothing for a regular file, the only kind read.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Reads a whole regular file, but never more than `maxBytes`: a huge file is refused, not loaded. */
export async function readFileBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, problem: describeFsError(error), tooLarge: false, code: errorCode(error) };
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return { ok: false, problem: "is a folder, not a file", tooLarge: false };
    // A FIFO, socket or device has no end to read to, or is not evidence at all.
    if (!stat.isFile()) return { ok: false, problem: "not a regular file", tooLarge: false };
    if (stat.size > maxBytes) return { ok: false, problem: `${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit`, tooLarge: true };
    // Read to the end, never past one byte over the limit. A file may hold more than its size at
    // open: one still being written, or one (as in /proc) whose size says 0.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) break;
        const larger = Buffer.allocUnsafe(Math.min(maxBytes + 1, length * 2 + 4096));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { ok: false, problem: `over the ${formatBytes(maxBytes)} limit`, tooLarge: true };
    // What was read is neither the file as it was nor as it will be: refused, never judged in part.
    if (stat.size > 0 && length !== stat.size) {
      return { ok: false, problem: `changed while it was read (${stat.size} bytes when opened, ${length} read); read it again once whatever writes it has finished`, tooLarge: false };
    }
    return { ok: true, bytes: buffer.subarray(0, length), file: { dev: stat.dev, ino: stat.ino } };
  } catch (error) {
    return { ok: false, problem: describeFsError(error), tooLarge: false, code: errorCode(error) };
  } finally {
    await handle.close();
  }
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** A key or secret file is a line or a short PEM block; anything larger is not one, and is not read whole. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * A small text file the operator names (the config file, a secret, a key), read as readFile would,
 * but a device, a FIFO or a huge file fails instead of hanging or filling memory
 * (`PATCHWARDEN_CONFIG=/dev/zero` never ended). Failures carry the fs error code where there is one
 * (ENOENT, EACCES), so callers can tell a missing file from an unreadable one.
 */
export async function readSmallTextFile(path: string, maxBytes: number = MAX_SECRET_FILE_BYTES): Promise<string> {
  const read = await readFileBounded(path, maxBytes);
  if (read.ok) return Buffer.from(read.bytes).toString("utf8");
  throw Object.assign(new Error(read.problem), { code: read.code });
}

export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a folder, not a file";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
