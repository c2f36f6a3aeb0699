import { resolve } from "node:path";
import { readPolicy, SHIPPED_POLICY_PATH } from "../policy/read-policy.js";
import type { Policy } from "../policy/policy.js";
import type { CommandContext } from "./command.js";
import { UsageError } from "./errors.js";
import { configFileSetting } from "./operator-settings.js";
import { stringOption } from "./options.js";

/**
 * The policy named by the argument, --policy, $PATCHWARDEN_POLICY, else `policy` in the
 * PATCHWARDEN_CONFIG file, else the shipped one: the order the server reads them in, so the hourly
 * gate, replay and `policy validate` judge under the server's policy. An empty argument or flag is
 * refused: `policy validate "$CANDIDATE"` with the variable unset would otherwise check the shipped
 * policy and pass. An empty variable counts as unset, as in env files.
 */
export async function policyPath(context: CommandContext, positional?: string): Promise<string> {
  const option = stringOption(context, "policy");
  // Neither may win quietly: a CI step naming its candidate with --policy beside a path would pass on the other file.
  if (positional !== undefined && option !== undefined) throw new UsageError("--policy: given with a policy argument too; give the policy one way, not both");
  const flag = positional !== undefined ? { name: "the policy argument", value: positional } : { name: "--policy", value: option };
  if (flag.value !== undefined && flag.value.trim() === "") throw new UsageError(`${flag.name}: is empty; name a policy file, or leave it out to use the shipped policy`);
  const given = flag.value ?? context.io.env["PATCHWARDEN_POLICY"];
  if (given !== undefined && given.length > 0) return resolve(context.io.cwd, given);
  const fromFile = await configFileSetting(context, "policy", "/etc/patchwarden/policy.toml");
  return fromFile?.value ?? SHIPPED_POLICY_PATH;
}

export async function loadPolicy(context: CommandContext, positional?: string): Promise<Policy> {
  return readPolicy(await policyPath(context, positional));
}
