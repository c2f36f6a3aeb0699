import { stat } from "node:fs/promises";
import { describeFsError } from "../fsutil/read-bounded.js";

export type FolderState = { kind: "folder" } | { kind: "missing" } | { kind: "unusable"; problem: string };

/**
 * Whether a path the operator gave can be used as a folder, so that a file named by mistake is said
 * as such up front, not met later as ENOTDIR deep inside a command. `missing` may still be created.
 */
export async function folderState(path: string): Promise<FolderState> {
  try {
    const stats = await stat(path);
    return stats.isDirectory() ? { kind: "folder" } : { kind: "unusable", problem: stats.isFile() ? "is a file, not a folder" : "is not a folder" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "ENOTDIR") return { kind: "unusable", problem: "a part of the path is a file, not a folder" };
    return { kind: "unusable", problem: describeFsError(error) };
  }
}
