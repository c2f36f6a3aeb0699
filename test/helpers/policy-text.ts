// Policies as TOML text: the shipped one, edits of it, and what the loader says of a refused one.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";

export const SHIPPED = readFileSync(SHIPPED_POLICY_PATH, "utf8");

/** A policy from its TOML text; a text that does not validate fails the test with its problems. */
export function policyOf(text: string): Policy {
  const parsed = parsePolicy(Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return parsed.policy;
}

/** The shipped policy with each `[from, to]` replaced (each must be there). */
export function edited(...edits: Array<[string, string]>): Policy {
  let text = SHIPPED;
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return policyOf(text);
}

/** What the loader says of a policy it refuses, one formatted line each; a policy that loads fails the test. */
export function policyProblems(toml: string): string[] {
  const parsed = parsePolicy(Buffer.from(toml));
  if (parsed.ok) throw new Error("expected the policy to be refused");
  return parsed.diagnostics.map(formatDiagnostic);
}
