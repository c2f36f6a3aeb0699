import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PolicyLoadError } from "./policy-load-error.js";
import { parsePolicy } from "./parse-policy.js";
import type { Policy } from "./policy.js";

export { PolicyLoadError };

/** The policy shipped with Patchwarden; used when no --policy / PATCHWARDEN_POLICY is given. */
export const SHIPPED_POLICY_PATH = fileURLToPath(new URL("../../policies/iskra-openclaw.v0.toml", import.meta.url));


export async function readPolicy(file: string = SHIPPED_POLICY_PATH): Promise<Policy> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a folder, not a file" : String(code ?? error);
    throw new PolicyLoadError(file, [{ path: "policy", message: `cannot read \`${file}\` (${why}); give the path of a policy TOML file` }]);
  }
  const parsed = parsePolicy(bytes);
  if (!parsed.ok) throw new PolicyLoadError(file, parsed.diagnostics);
  return parsed.policy;
}
