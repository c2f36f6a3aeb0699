import { fileURLToPath } from "node:url";
import { quote } from "../diagnostics/diagnostic.js";
import { readFileBounded } from "../fsutil/read-bounded.js";
import { PolicyLoadError } from "./policy-load-error.js";
import { MAX_POLICY_BYTES, parsePolicy } from "./parse-policy.js";
import type { Policy } from "./policy.js";

export { PolicyLoadError };

/** The policy shipped with Patchwarden; used when no --policy / PATCHWARDEN_POLICY is given. */
export const SHIPPED_POLICY_PATH = fileURLToPath(new URL("../../policies/iskra-openclaw.v0.toml", import.meta.url));

// Long enough for any path; quote's default would cut the one the operator has to find.
const MAX_PATH_ECHO = 4096;

/**
 * Reads a policy file, but no more of it than a policy may hold: a huge file, a device
 * (`/dev/zero` never ends) or a pipe is refused by its kind or its size, not read into memory.
 */
export async function readPolicy(file: string = SHIPPED_POLICY_PATH): Promise<Policy> {
  const read = await readFileBounded(file, MAX_POLICY_BYTES);
  if (!read.ok) {
    const message = read.tooLarge
      ? `${quote(file, MAX_PATH_ECHO)} is ${read.problem} for a policy; give the path of a policy TOML file`
      : `cannot read ${quote(file, MAX_PATH_ECHO)} (${read.problem}); give the path of a policy TOML file`;
    throw new PolicyLoadError(file, [{ path: "policy", message }]);
  }
  const parsed = parsePolicy(read.bytes);
  if (!parsed.ok) throw new PolicyLoadError(file, parsed.diagnostics);
  return parsed.policy;
}
