import picomatch from "picomatch/posix.js";
import { quote } from "../diagnostics/diagnostic.js";

/** Where a kind of glob is matched, for its messages. */
export interface GlobPlace {
  /** `relative to the manifest's root`, `from the repository's root`. */
  paths: string;
  /** A glob to write instead, in backticks: `` `**\/*.service` ``. */
  example: string;
  /** Globs to write instead of one that does not compile; `example` when not given. */
  examples?: string;
  options?: picomatch.PicomatchOptions;
}

/**
 * Why an operator's glob cannot select what it names, or null: a leading `/` (paths are relative),
 * a pattern picomatch cannot compile, or a `[!…]` class, which picomatch 4.0.7 reads as one of `!`
 * and the rest, not as the shell's "none of them" (micromatch/picomatch#187): `secrets/[!.]*` would
 * match only hidden files. `[^…]` negates.
 */
export function globProblem(glob: string, place: GlobPlace): string | null {
  if (glob.startsWith("/")) return `${quote(glob)} starts with \`/\`; globs match paths ${place.paths}, like ${place.example}`;
  if (glob.includes("[!")) {
    return `${quote(glob)} opens a class with \`[!\`, which picomatch reads as matching \`!\` and the rest, not as negation; write \`[^\` to negate, like ${quote(glob.replaceAll("[!", "[^"))}, or put the \`!\` later in the class to match it`;
  }
  try {
    picomatch.makeRe(glob, place.options);
    return null;
  } catch (error) {
    return `${quote(glob)} is not a glob (${error instanceof Error ? error.message : String(error)}); write it like ${place.examples ?? place.example}`;
  }
}
