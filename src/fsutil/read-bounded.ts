import { open } from "node:fs/promises";
import { formatBytes } from "../document/parse-document.js";

export type BoundedRead = { ok: true; bytes: Uint8Array } | { ok: false; problem: string; tooLarge: boolean };

/** Reads a whole file, but never more than `maxBytes`: a huge file is refused, not loaded. */
export async function readFileBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    return { ok: false, problem: describeFsError(error), tooLarge: false };
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return { ok: false, problem: "is a folder, not a file", tooLarge: false };
    if (stat.size > maxBytes) return { ok: false, problem: `${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit`, tooLarge: true };
    // Read one byte past the limit: the file may have grown since stat.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size, 0) + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { ok: false, problem: `over the ${formatBytes(maxBytes)} limit`, tooLarge: true };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, problem: describeFsError(error), tooLarge: false };
  } finally {
    await handle.close();
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
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
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
