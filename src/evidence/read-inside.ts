import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import { describeFsError, readFileBounded } from "../fsutil/read-bounded.js";

/** `replaced`: another file took the path's place during the read (a writer's rename), so reading again may succeed. */
export type InsideRead = { ok: true; bytes: Uint8Array } | { ok: false; problem: string; tooLarge: boolean; outside: boolean; replaced?: true };

/** Whether the resolved path `real` lies strictly inside the resolved folder `realFolder`. */
export function isInside(realFolder: string, real: string): boolean {
  const rel = relative(realFolder, real);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Reads `path` only when it resolves inside `realFolder`, so a symbolic link in a folder another
 * user writes cannot make the gate read (and echo) its own secrets. The file actually opened is
 * checked again afterwards: a link swapped in between the check and the open must not redirect it.
 */
export async function readInside(realFolder: string, path: string, maxBytes: number): Promise<InsideRead> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    return { ok: false, problem: describeFsError(error), tooLarge: false, outside: false };
  }
  if (!isInside(realFolder, real)) return { ok: false, problem: "it resolves outside its folder", tooLarge: false, outside: true };
  const read = await readFileBounded(real, maxBytes);
  if (!read.ok) return { ...read, outside: false };
  const again = await realpath(real).catch(() => null);
  const info = again === real ? await stat(real).catch(() => null) : null;
  if (info === null || info.dev !== read.file.dev || info.ino !== read.file.ino) {
    return { ok: false, problem: "it was replaced while it was read", tooLarge: false, outside: false, replaced: true };
  }
  return { ok: true, bytes: read.bytes };
}
