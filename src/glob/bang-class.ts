import { quote } from "../diagnostics/diagnostic.js";

/**
 * picomatch 4.0.7 reads `[!abc]` as one of `!`, `a`, `b`, `c`, not as the shell's "none of them"
 * (micromatch/picomatch#187): `secrets/[!.]*` would match only hidden files. `[^abc]` negates, so
 * a glob holding `[!` is refused with that to write instead; null when it holds none.
 */
export function bangClassProblem(glob: string): string | null {
  if (!glob.includes("[!")) return null;
  return `${quote(glob)} opens a class with \`[!\`, which picomatch reads as matching \`!\` and the rest, not as negation; write \`[^\` to negate, like ${quote(glob.replaceAll("[!", "[^"))}, or put the \`!\` later in the class to match it`;
}
