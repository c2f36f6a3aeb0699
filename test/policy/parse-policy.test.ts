import { describe, expect, it } from "vitest";
import { formatPath } from "../../src/diagnostics/diagnostic.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";



describe("policy loading", () => {
  it("accepts the shipped policy and digests its bytes", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.policy.digest).toBe(sha256Digest(SHIPPED));
    expect(parsed.policy.name).toBe("iskra-openclaw");
    expect(parsed.policy.skewToleranceSeconds).toBe(120);
    expect(parsed.policy.maxAgeSeconds["runtime-truth-report"]).toBe(3600);
    // deploy_drift_probe is one class among several, not the whole system.
    expect(parsed.policy.repairClasses.has("deploy_drift_probe")).toBe(true);
    expect(parsed.policy.repairClasses.size).toBeGreaterThan(3);
    expect(parsed.policy.hardManualActions.get("service.restart")).toBe("service_restart");
  });

  it("reports a misspelt evidence kind with its TOML path, the value in backticks and a suggestion", () => {
    const toml = SHIPPED.replace('requires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]', 'requires = ["runtime-truth-report", "autoheal-dashbord", "incident-packet"]');
    expect(policyProblems(toml)).toEqual(["policy.repair_classes.gateway_restart.requires[1]: unknown evidence kind `autoheal-dashbord`; did you mean `autoheal-dashboard`?"]);
  });

  it("reports every problem at once, not the first only", () => {
    const toml = SHIPPED
      .replace('skew_tolerance = "2m"', 'skew_tolerance = "two minutes"')
      .replace('[repair_classes.gateway_restart]\ndescription', '[repair_classes.gateway_restart]\nmutaton = true\ndescription')
      .replace('risk = "medium"', 'risk = "severe"')
      .replace('max_age = "30m"', 'max_age = 30');
    const found = policyProblems(toml);
    expect(found).toEqual(
      expect.arrayContaining([
        "policy.clock.skew_tolerance: `two minutes` is not a duration; write it like `90s`, `15m`, `1h30m` or `7d`",
        "policy.repair_classes.gateway_restart.mutaton: unknown key `mutaton`; did you mean `mutation`?",
        expect.stringMatching(/^policy\.repair_classes\.config_repair\.risk: unknown value `severe`; expected one of `low`, `medium`, `high`$/),
        "policy.evidence.autoheal-dashboard.max_age: expected a string, got `30`",
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it("treats unknown keys as errors anywhere, a typo in a safety policy must not pass silently", () => {
    expect(policyProblems(SHIPPED.replace("[clock]", "[clock]\nskew = \"1m\""))).toEqual(["policy.clock.skew: unknown key `skew`; remove it or check its spelling"]);
    expect(policyProblems(`${SHIPPED}\n[evidance.runtime-truth-report]\nmax_age = "1h"\n`)).toEqual(["policy.evidance: unknown key `evidance`; did you mean `evidence`?"]);
  });

  it("requires a max age for every evidence kind, so nothing is fresh forever", () => {
    const toml = SHIPPED.replace(/\[evidence\.incident-packet\]\nmax_age = "24h"\ndescription = .*\n/, "");
    expect(policyProblems(toml)).toEqual(["policy.evidence.incident-packet: missing; add it"]);
  });

  it("refuses to drop a hard-manual class the operator owns by the product boundary", () => {
    const toml = SHIPPED.replace(/\[hard_manual\.destructive\]\n[\s\S]*?\n\n/, "").replace('hard_manual = ["destructive"]', 'hard_manual = ["deploy_apply_sync"]');
    expect(policyProblems(toml)).toEqual(["policy.hard_manual: missing hard-manual class `destructive`; the operator owns it by the product boundary, so every policy must name its actions"]);
  });

  it("checks cross-references and contradictions between sections", () => {
    const toml = SHIPPED
      .replace('hard_manual = ["service_restart"]\nexecutor = "the operator: systemctl', 'hard_manual = ["service_restrat"]\nexecutor = "the operator: systemctl')
      .replace('[repair_classes.cache_cleanup]\ndescription = "Remove OpenClaw caches or stale state to recover space or a wedged component."\nmutation = true', '[repair_classes.cache_cleanup]\ndescription = "Remove OpenClaw caches or stale state to recover space or a wedged component."\nmutation = false')
      .replace('allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]', 'allowed_actions = ["doctor.lint", "service.restart"]');
    expect(policyProblems(toml)).toEqual([
      "policy.repair_classes.runtime_diagnostics.allowed_actions[1]: `service.restart` is a hard-manual action of `service_restart`; it cannot be allowed for a dry run, list the class in `hard_manual` instead",
      "policy.repair_classes.gateway_restart.hard_manual[0]: unknown hard-manual class `service_restrat`; define it under [hard_manual.service_restrat] or remove it",
      "policy.repair_classes.cache_cleanup.mutation: a class touching hard-manual actions mutates the runtime; set `mutation = true`",
    ]);
  });

  it("reports TOML syntax errors with line and column", () => {
    expect(policyProblems('schema = "patchwarden.policy.v0"\nname = \n')).toEqual([expect.stringMatching(/^policy: malformed TOML at line 2, column \d+: .+; fix the syntax$/)]);
  });

  it("refuses non-UTF-8 and oversized files", () => {
    expect(parsePolicy(Buffer.from([0xff, 0xfe, 0x00])).ok).toBe(false);
    const huge = parsePolicy(Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.diagnostics[0]!.message).toMatch(/over the 1 MiB limit/);
  });

  it("refuses a class that requires no evidence, since it would be eligible on nothing", () => {
    const toml = SHIPPED.replace('requires = ["runtime-truth-report", "autoheal-dashboard"]\nallowed_actions = ["doctor.lint"', 'requires = []\nallowed_actions = ["doctor.lint"');
    expect(policyProblems(toml)).toEqual(["policy.repair_classes.runtime_diagnostics.requires: needs at least 1 item(s)"]);
  });

  it("knows hard-manual classes by their own names only, so `constructor` is no class", () => {
    expect(policyProblems(SHIPPED.replace('hard_manual = ["service_restart"]\nexecutor = "the operator: systemctl', 'hard_manual = ["constructor"]\nexecutor = "the operator: systemctl'))).toEqual([
      "policy.repair_classes.gateway_restart.hard_manual[0]: unknown hard-manual class `constructor`; define it under [hard_manual.constructor] or remove it",
    ]);
    expect(policyProblems(SHIPPED.replace('hard_manual = "service_restart", description = "systemd', 'hard_manual = "constructor", description = "systemd'))).toEqual([
      "policy.drift.risk_rules[0].hard_manual: unknown hard-manual class `constructor`; define it under [hard_manual.constructor] or remove it",
    ]);
  });

  it("refuses a `__proto__` class table instead of dropping it silently, and still reports every other problem", () => {
    const message = "`__proto__` cannot name a class (it is not an identifier); rename the table with lowercase letters, digits and `_`";
    expect(policyProblems(`${SHIPPED}\n[repair_classes.__proto__]\ndescription = "x"\n`)).toEqual([`policy.repair_classes.__proto__: ${message}`]);
    expect(policyProblems(`${SHIPPED}\n[hard_manual.__proto__]\ndescription = "x"\nactions = ["x.y"]\n`)).toEqual([`policy.hard_manual.__proto__: ${message}`]);
    const both = policyProblems(`${SHIPPED.replace('risk = "medium"', 'risk = "severe"')}\n[repair_classes.__proto__]\ndescription = "x"\n`);
    expect(both).toEqual([`policy.repair_classes.__proto__: ${message}`, expect.stringMatching(/^policy\.repair_classes\.config_repair\.risk: unknown value `severe`/)]);
  });
});

function edit(from: string, to: string): string {
  if (!SHIPPED.includes(from)) throw new Error(`not in the shipped policy: ${from}`);
  return SHIPPED.replace(from, to);
}

// The risk levels are enums: a missing one read "unknown value nothing; expected one of …", unlike
// every other missing key.
describe("a missing risk level is missing, as any missing key", () => {
  it.each([
    ["a repair class's risk", edit('risk = "medium"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "openclaw-upgrade-simulator"', 'requires = ["runtime-truth-report", "autoheal-dashboard", "openclaw-upgrade-simulator"'), "policy.repair_classes.config_repair.risk"],
    ["drift default_risk", edit('default_risk = "medium"\n', ""), "policy.drift.default_risk"],
    ["drift mode_change_risk", edit('mode_change_risk = "high"\n', ""), "policy.drift.mode_change_risk"],
    ["a risk rule's risk", edit('{ glob = "docs/**", risk = "low", description', '{ glob = "docs/**", description'), "policy.drift.risk_rules[9].risk"],
  ])("%s", (_label, toml, path) => {
    expect(policyProblems(toml)).toEqual([`${path}: missing; add it`]);
  });
});

// The path names the key as quote() echoes a value: a U+202E in a table name reordered the line.
describe("a key name in an error's path is written out, not echoed raw", () => {
  it("an unknown class table named with U+202E and a backtick", () => {
    const toml = `${SHIPPED}\n[repair_classes."gate\u202eway\`"]\ndescription = "x"\nmutation = false\nrisk = "low"\nrequires = ["runtime-truth-report"]\nexecutor = "x"\n`;
    expect(policyProblems(toml)).toEqual([
      "policy.repair_classes[\"gate\\u202eway'\"]: `gate way'` cannot name a class (it is not an identifier); rename the table with lowercase letters, digits and `_`",
    ]);
  });

  it("formatPath: bare keys plain, others JSON-quoted with unsafe characters written out, cut at 80", () => {
    expect(formatPath("policy", ["drift", "risk_rules", 3, "glob"])).toBe("policy.drift.risk_rules[3].glob");
    expect(formatPath("policy", ["a.b", "x\u001b[2J", "l\u2028m", "q\"`"])).toBe('policy["a.b"]["x\\u001b[2J"]["l\\u2028m"]["q\\"\'"]');
    expect(formatPath("policy", ["k".repeat(100) + " "])).toBe(`policy["${"k".repeat(80)}…"]`);
  });
});
