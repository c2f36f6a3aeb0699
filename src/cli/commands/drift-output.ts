import { writeFileAtomic } from "../../fsutil/atomic-write.js";
import { resolve } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { describeFsError, readFileBounded } from "../../fsutil/read-bounded.js";
import type { CommandContext } from "../command.js";
import { ConfigError } from "../errors.js";
import { stringOption } from "../options.js";

/**
 * Shared by the `drift` commands: where their output goes. With `--out FILE` the text is written
 * to a temporary file beside it and renamed into place, so a reader never sees half a manifest.
 * Returns the path written, or null when the text went to stdout.
 */
export async function writeOutput(context: CommandContext, text: string): Promise<string | null> {
  const out = stringOption(context, "out");
  if (out === undefined || out === "-") {
    context.io.stdout(text);
    return null;
  }
  const path = resolve(context.io.cwd, out);
  try {
    await writeFileAtomic(path, text, { mode: 0o644 });
  } catch (error) {
    throw new ConfigError(`--out: cannot write \`${path}\` (${describeFsError(error)}); give a path in a folder you may write to`);
  }
  return path;
}

/** Reads an input file for a drift command, or stops with exit 2 naming the file and why. */
export async function readInput(flag: string, path: string, maxBytes: number): Promise<Uint8Array> {
  const read = await readFileBounded(path, maxBytes);
  if (!read.ok) throw new ConfigError(`${flag}: cannot read \`${path}\` (${read.problem})${read.tooLarge ? "" : "; check the path"}`);
  return read.bytes;
}

/** Every problem with one input, `path: message` per line, under a line naming the file. */
export function invalidInput(flag: string, path: string, what: string, diagnostics: readonly Diagnostic[]): ConfigError {
  return new ConfigError(`${flag}: \`${path}\` is not a valid ${what}\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join("\n")}`);
}
