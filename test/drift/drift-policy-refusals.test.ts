import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { ignoreGlobProblem } from "../../src/drift/drift-policy-schema.js";
import { classify } from "../../src/drift/drift-rules.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";

// The fifth risk rule, risk_rules[4].
const SECRETS = '{ glob = "**/{auth,credentials,secrets,tokens}/**", risk = "high"';

function edit(from: string, to: string): string {
  if (!SHIPPED.includes(from)) throw new Error(`not in the shipped policy: ${from}`);
  return SHIPPED.replace(from, to);
}

/** The shipped policy with its risk rules replaced by `rules` (TOML inline tables). */
function withRules(...rules: string[]): string {
  const toml = SHIPPED.replace(/risk_rules = \[[\s\S]*?\n\]/, `risk_rules = [\n  ${rules.join(",\n  ")},\n]`);
  if (toml === SHIPPED) throw new Error("the shipped policy has no risk_rules to replace");
  return toml;
}


function driftOf(toml: string) {
  const parsed = parsePolicy(Buffer.from(toml));
  if (!parsed.ok) throw new Error(`expected the policy to be accepted: ${parsed.diagnostics.map(formatDiagnostic).join("; ")}`);
  return parsed.policy.drift!;
}

describe("a `[!…]` class, which picomatch reads as matching `!`, is refused", () => {
  // picomatch 4.0.7 reads `[!.]` as "`!` or `.`" (micromatch/picomatch#187): `secrets/[!.]*` (high)
  // would miss `secrets/api.json`, and `**/[!.]*` (low) would make `app/.env` low.
  it.each([
    ["secrets/[!.]*", "`secrets/[!.]*` opens a class with `[!`, which picomatch reads as matching `!` and the rest, not as negation; write `[^` to negate, like `secrets/[^.]*`, or put the `!` later in the class to match it"],
    ["**/[!.]*", "`**/[!.]*` opens a class with `[!`, which picomatch reads as matching `!` and the rest, not as negation; write `[^` to negate, like `**/[^.]*`, or put the `!` later in the class to match it"],
  ])("in a risk rule: %s", (glob, message) => {
    expect(policyProblems(withRules(`{ glob = "${glob}", risk = "high" }`))).toEqual([`policy.drift.risk_rules[0].glob: ${message}`]);
  });

  it("in an --ignore glob", () => {
    expect(ignoreGlobProblem("**/[!.]*")).toBe(
      "`**/[!.]*` opens a class with `[!`, which picomatch reads as matching `!` and the rest, not as negation; write `[^` to negate, like `**/[^.]*`, or put the `!` later in the class to match it",
    );
    expect(ignoreGlobProblem("**/[^.]*")).toBeNull();
  });

  it("while `[^…]`, the replacement it names, negates as written and ignoring case", () => {
    const secrets = driftOf(withRules('{ glob = "secrets/[^.]*", risk = "high", hard_manual = "auth_network_change" }'));
    expect(classify(secrets, "secrets/api.json")).toMatchObject({ risk: "high", hardManual: "auth_network_change", rule: "secrets/[^.]*" });
    expect(classify(secrets, "secrets/.hidden").rule).toBeNull();

    const visible = driftOf(withRules('{ glob = "**/[^.]*", risk = "low" }', '{ glob = "**/{.env,*.env,.env.*}", risk = "high", hard_manual = "auth_network_change" }'));
    expect(classify(visible, "app/main.py")).toMatchObject({ risk: "low", rule: "**/[^.]*" });
    expect(classify(visible, "app/.env")).toMatchObject({ risk: "high", rule: "**/{.env,*.env,.env.*}" });
    expect(classify(visible, "APP/.ENV")).toMatchObject({ risk: "high", rule: "**/{.env,*.env,.env.*}" });
  });

  it("still finds a catch-all written with `[^…]`, and takes no other negated class for one", () => {
    expect(policyProblems(withRules('{ glob = "**/[^/]*", risk = "low" }', '{ glob = "docs/**", risk = "low" }'))).toEqual([
      "policy.drift.risk_rules[0].glob: `**/[^/]*` matches every path, so the rule after it is never reached; move it last, or remove it and set `default_risk`",
    ]);
    // Every probe path of the catch-all check starts with something other than `_`.
    const underscore = driftOf(withRules('{ glob = "**/[^_]*", risk = "low" }', '{ glob = "docs/**", risk = "low" }'));
    expect(classify(underscore, "app/_private")).toMatchObject({ risk: "medium", rule: null });
  });
});

describe("a risk rule glob that can never match a manifest path is refused", () => {
  // Manifest paths have no empty, `.` or `..` segment and no control or bidirectional character:
  // a rule whose glob holds one is dead, and the files it was meant to hold high fall to a later rule.
  it.each(["**/secrets//**", "config/./secrets/**", "config/../secrets/**", "."])("%s", (glob) => {
    expect(policyProblems(edit(SECRETS, `{ glob = ${JSON.stringify(glob)}, risk = "high"`))).toEqual([
      `policy.drift.risk_rules[4].glob: \`${glob}\` has an empty, \`.\` or \`..\` segment, but manifest paths have none, so it matches no file; write the path without it, like \`config/secrets/**\``,
    ]);
  });

  it("a control or bidirectional character", () => {
    expect(policyProblems(edit(SECRETS, '{ glob = "**/secrets\\u202e/**", risk = "high"'))).toEqual([
      "policy.drift.risk_rules[4].glob: `**/secrets\\u202e/**` holds a control or bidirectional character, but manifest paths hold none, so it matches no file; remove it",
    ]);
  });

  it("but a leading `./`, which picomatch drops, is accepted and matches", () => {
    const drift = driftOf(edit(SECRETS, '{ glob = "./config/secrets/**", risk = "high"'));
    expect(classify(drift, "config/secrets/api.json")).toMatchObject({ risk: "high", rule: "./config/secrets/**" });
  });
});

describe("the texts of `[drift]` that every plan shows are plain text", () => {
  // A plan shows each with its unsafe characters blanked: a target with a line break would read as
  // a path the executor never writes to.
  it.each([
    ["a line break", "/opt/iskra-openclaw\\n/", "`/opt/iskra-openclaw\\x0a/`"],
    ["a bidirectional control", "/opt/iskra\\u202eopenclaw/", "`/opt/iskra\\u202eopenclaw/`"],
  ])("a path mapping's target with %s", (_what, target, echoed) => {
    expect(policyProblems(edit('{ local = "", target = "/opt/iskra-openclaw/" }', `{ local = "", target = "${target}" }`))).toEqual([
      `policy.drift.paths[1].target: ${echoed} holds a control character, line break or bidirectional control, so plans would show another path than the real one; write the host path in plain text, like \`/opt/iskra-openclaw/\``,
    ]);
  });

  const plainTextProblem = "holds a control character, line break or bidirectional control, which every plan would show as other text; write it in plain text on one line";
  it.each([
    ["executor", 'executor = "scripts/iskra-openclaw-deploy.sh"', 'executor = "scripts/iskra-openclaw-deploy.sh\\nrm -rf /"', "`scripts/iskra-openclaw-deploy.sh\\x0arm -rf /`"],
    ["lock", 'lock = "/run/lock/iskra-openclaw-deploy.lock"', 'lock = "/run/lock/iskra\\u202eopenclaw.lock"', "`/run/lock/iskra\\u202eopenclaw.lock`"],
    ["backup_location", 'backup_location = "/var/backups/iskra-openclaw/deploy/<plan digest>/"', 'backup_location = "/var/backups/\\rx/"', "`/var/backups/\\x0dx/`"],
    ["postchecks[0]", '"a fresh patchwarden drift manifest', '"ok\\u2028a fresh patchwarden drift manifest', "`ok\\u2028a fresh patchwarden drift manifest of the host has the plan's local mani…`"],
    ["risk_rules[9].description", 'description = "documentation" }', 'description = "documentation\\u202e" }', "`documentation\\u202e`"],
  ])("%s", (key, from, to, echoed) => {
    expect(policyProblems(edit(from, to))).toEqual([`policy.drift.${key}: ${echoed} ${plainTextProblem}`]);
  });
});
