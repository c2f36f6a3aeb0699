import { folderState } from "../config/folder-state.js";
import { ConfigError } from "./errors.js";

/** A flag naming a file must not name a folder: said now, with the flag, not met later as EISDIR. */
export async function refuseFolder(flag: string, path: string, whatToGive: string): Promise<void> {
  if ((await folderState(path)).kind === "folder") throw new ConfigError(`${flag}: \`${path}\`: is a folder, not a file; ${whatToGive}`);
}

/** A flag naming a folder (made when missing) must not name a file, nor a path through one. */
export async function requireFolder(flag: string, path: string, whatToGive: string): Promise<void> {
  const state = await folderState(path);
  if (state.kind === "unusable") throw new ConfigError(`${flag}: \`${path}\`: ${state.problem}; ${whatToGive}`);
}
