import picomatch from "picomatch";
import { quote } from "../diagnostics/diagnostic.js";

/**
 * Why a glob of PATCHWARDEN_EVIDENCE_GLOBS or PATCHWARDEN_POLICY_GLOBS cannot select the files it
 * names, or null. A glob that matches nothing would leave pushed evidence unjudged without a word.
 * picomatch 4.0.7 reads `[!abc]` as one of `!`, `a`, `b`, `c`, not as the shell's "none of them"
 * (micromatch/picomatch#187); `[^abc]` negates.
 */
export function repositoryGlobProblem(glob: string): string | null {
  if (glob.startsWith("/")) return `${quote(glob)} starts with \`/\`; globs match paths from the repository's root, like \`evidence/**/*.json\``;
  if (glob.includes("[!")) return `${quote(glob)} opens a class with \`[!\`, which picomatch reads as matching \`!\` and the rest, not as negation; write \`[^\` to negate, like ${quote(glob.replaceAll("[!", "[^"))}`;
  try {
    picomatch.makeRe(glob);
    return null;
  } catch (error) {
    return `${quote(glob)} is not a glob (${error instanceof Error ? error.message : String(error)}); write it like \`evidence/**/*.json\``;
  }
}
