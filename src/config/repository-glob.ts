import { globProblem } from "../glob/glob-problem.js";

/**
 * Why a glob of PATCHWARDEN_EVIDENCE_GLOBS or PATCHWARDEN_POLICY_GLOBS cannot select the files it
 * names, or null. A glob that matches nothing would leave pushed evidence unjudged without a word.
 */
export function repositoryGlobProblem(glob: string): string | null {
  return globProblem(glob, { paths: "from the repository's root", example: "`evidence/**/*.json`" });
}
