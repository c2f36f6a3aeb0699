import { describeFsError } from "../fsutil/read-bounded.js";
import { ConfigError } from "./errors.js";
import { echo } from "./user-paths.js";

/** Refusals that say the path is unusable as given (wrong kind, no permission), not that the code is wrong. */
const REFUSALS = new Set(["ENOTDIR", "EISDIR", "EEXIST", "EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT"]);
// A write to a full or read-only disk fails on a file handle, and such errors carry no path.
const DISK_REFUSALS = new Set(["EROFS", "ENOSPC", "EDQUOT"]);

/**
 * A file-system refusal on a path (a file where a folder belongs, a folder where a file does, no
 * permission) as a ConfigError naming the path and what to do: exit 2, not a bug report. Null for
 * any other error. Commands check the paths they are given first, with the flag's name; this is the
 * net for what they cannot foresee (a data folder's insides, a permission that changed, a full disk).
 * `folder` names a full or read-only disk's error that carries no path: the folder being written.
 */
export function unusablePathError(error: unknown, folder?: string): ConfigError | null {
  if (!(error instanceof Error)) return null;
  const { code, path, syscall, dest } = error as NodeJS.ErrnoException & { dest?: string };
  if (code === undefined || !REFUSALS.has(code)) return null;
  const at = code === "EEXIST" && dest !== undefined ? dest : (path ?? (DISK_REFUSALS.has(code) ? folder : undefined));
  if (at === undefined) return null;
  return new ConfigError(`${echo(at)}: ${problemOf(code, syscall, error)}`);
}

function problemOf(code: string, syscall: string | undefined, error: Error): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied; run the command as the user the data belongs to (e.g. `sudo -u patchwarden patchwarden …`), or fix the permissions";
    case "EEXIST":
      return syscall === "mkdir" ? "is a file, not a folder; check the path" : "already exists; choose another path, or move it away first";
    case "EROFS":
      return "is on a read-only file system; give a path on a writable one";
    case "ENOSPC":
      return "no space is left on its device; free some space, then run the command again";
    case "EDQUOT":
      return "the disk quota is used up; free some space, then run the command again";
    default:
      return `${describeFsError(error)}; check the path`;
  }
}
