import { writeFileAtomic } from "../../fsutil/atomic-write.js";
import { realpath } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { describeFsError, readFileBounded } from "../../fsutil/read-bounded.js";
import type { CommandContext } from "../command.js";
import { ConfigError, UsageError } from "../errors.js";
import { stringOption } from "../options.js";
import { echo } from "../user-paths.js";

/** The absolute path `--out` names, or null for stdout (no `--out`, or `-`). */
export function outPath(context: CommandContext): string | null {
  const out = stringOption(context, "out");
  if (out === undefined || out === "-") return null;
  if (out.length === 0) throw new UsageError("--out: an empty path names no file; give a file, or `-` for stdout");
  return resolve(context.io.cwd, out);
}

/**
 * Where a write to `path` lands: the real path of its folder (or of the nearest folder above it
 * that exists yet), with the rest appended, so a symlinked folder cannot disguise it. The file
 * itself is not followed: writeOutput renames over it, replacing a link rather than writing
 * through it.
 */
export async function writeDestination(path: string): Promise<string> {
  let folder = dirname(path);
  const rest = [basename(path)];
  for (;;) {
    try {
      return join(await realpath(folder), ...rest);
    } catch {
      if (folder === dirname(folder)) return path;
      rest.unshift(basename(folder));
      folder = dirname(folder);
    }
  }
}

/** The real path of an existing file or folder, or null when it has none (it is missing, or unreadable). */
export async function realPathOrNull(path: string): Promise<string | null> {
  return realpath(path).catch(() => null);
}

/**
 * Shared by the `drift` commands: where their output goes. With `--out FILE` the text is written
 * to a temporary file beside it and renamed into place, so a reader never sees half a manifest.
 * Returns the path written, or null when the text went to stdout.
 */
export async function writeOutput(context: CommandContext, text: string): Promise<string | null> {
  const path = outPath(context);
  if (path === null) {
    context.io.stdout(text);
    return null;
  }
  try {
    await writeFileAtomic(path, text, { mode: 0o644 });
  } catch (error) {
    throw new ConfigError(`--out: cannot write ${echo(path)} (${describeFsError(error)}); give a path in a folder you may write to`);
  }
  return path;
}

/** Reads an input file for a drift command, or stops with exit 2 naming the file and why. */
export async function readInput(flag: string, path: string, maxBytes: number): Promise<Uint8Array> {
  const read = await readFileBounded(path, maxBytes);
  if (!read.ok) throw new ConfigError(`${flag}: cannot read ${echo(path)} (${read.problem})${read.tooLarge ? "" : "; check the path"}`);
  return read.bytes;
}

/** Every problem with one input, `path: message` per line, under a line naming the file. */
export function invalidInput(flag: string, path: string, what: string, diagnostics: readonly Diagnostic[]): ConfigError {
  return new ConfigError(`${flag}: ${echo(path)} is not a valid ${what}\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join("\n")}`);
}
