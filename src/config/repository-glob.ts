import picomatch from "picomatch";
import { quote } from "../diagnostics/diagnostic.js";
import { bangClassProblem } from "../glob/bang-class.js";

/**
 * Why a glob of PATCHWARDEN_EVIDENCE_GLOBS or PATCHWARDEN_POLICY_GLOBS cannot select the files it
 * names, or null. A glob that matches nothing would leave pushed evidence unjudged without a word.
 * A `[!…]` class reads the wrong way round in picomatch 4.0.7 (glob/bang-class.ts).
 */
export function repositoryGlobProblem(glob: string): string | null {
  if (glob.startsWith("/")) return `${quote(glob)} starts with \`/\`; globs match paths from the repository's root, like \`evidence/**/*.json\``;
  const bang = bangClassProblem(glob);
  if (bang !== null) return bang;
  try {
    picomatch.makeRe(glob);
    return null;
  } catch (error) {
    return `${quote(glob)} is not a glob (${error instanceof Error ? error.message : String(error)}); write it like \`evidence/**/*.json\``;
  }
}
