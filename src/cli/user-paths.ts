import { folderState } from "../config/folder-state.js";
import { quote } from "../diagnostics/diagnostic.js";
import { ConfigError } from "./errors.js";

/**
 * A value the user typed (a path, an option's name), in backticks and safe for a terminal: a CR or
 * an escape sequence in it must not rewrite the rest of the message. Long enough for a whole path.
 */
export function echo(value: string): string {
  return quote(value, 1000);
}

/** A flag naming a file must not name a folder: said now, with the flag, not met later as EISDIR. */
export async function refuseFolder(flag: string, path: string, whatToGive: string): Promise<void> {
  if ((await folderState(path)).kind === "folder") throw new ConfigError(`${flag}: ${echo(path)}: is a folder, not a file; ${whatToGive}`);
}

/** A flag naming a folder (made when missing) must not name a file, nor a path through one. */
export async function requireFolder(flag: string, path: string, whatToGive: string): Promise<void> {
  const state = await folderState(path);
  if (state.kind === "unusable") throw new ConfigError(`${flag}: ${echo(path)}: ${state.problem}; ${whatToGive}`);
}
