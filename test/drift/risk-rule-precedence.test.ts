import { describe, expect, it } from "vitest";
import { riskGlobProblem, type DriftPolicyDocument } from "../../src/drift/drift-policy-schema.js";
import { classify, compileDriftRules } from "../../src/drift/drift-rules.js";

type Rule = DriftPolicyDocument["risk_rules"][number];

function rulesOf(riskRules: Rule[], defaultRisk: "low" | "medium" | "high" = "low", modeChangeRisk: "low" | "medium" | "high" = "high") {
  return compileDriftRules({
    executor: "scripts/deploy.sh",
    lock: "/run/lock/deploy.lock",
    backup_location: "/var/backups/deploy/",
    postchecks: [],
    default_risk: defaultRisk,
    mode_change_risk: modeChangeRisk,
    paths: [{ local: "", target: "/opt/app/" }],
    risk_rules: riskRules,
  });
}

describe("which risk rule decides a path", () => {
  it("keeps the rule matching as written, with its hard-manual class, over an earlier rule of the same risk matching only ignoring case", () => {
    const rules = rulesOf([
      { glob: "**/*.JSON", risk: "medium" },
      { glob: "config/**", risk: "medium", hard_manual: "service_restart" },
    ]);
    expect(classify(rules, "config/app.json")).toEqual({ risk: "medium", hardManual: "service_restart", rule: "config/**", note: "matches `config/**`" });
  });

  it("keeps the rule matching as written when both it and the rule matching ignoring case name a hard-manual class", () => {
    const rules = rulesOf([
      { glob: "**/*.KEY", risk: "medium", hard_manual: "auth_network_change" },
      { glob: "tls/**", risk: "medium", hard_manual: "service_restart" },
    ]);
    expect(classify(rules, "tls/server.key")).toMatchObject({ risk: "medium", hardManual: "service_restart", rule: "tls/**" });
  });

  it("matches a path whose only upper-case letter is `A` ignoring case", () => {
    const rules = rulesOf([{ glob: "**/a.env", risk: "high", hard_manual: "auth_network_change" }]);
    expect(classify(rules, "A.env")).toEqual({ risk: "high", hardManual: "auth_network_change", rule: "**/a.env", note: "matches `**/a.env` ignoring case" });
    expect(classify(rules, "app/A.env").risk).toBe("high");
  });

  it("matches a path spelled exactly as its glob, though the glob's parentheses would read as a group", () => {
    const rules = rulesOf([{ glob: "keys/(prod).pem", risk: "high", hard_manual: "auth_network_change" }]);
    expect(classify(rules, "keys/(prod).pem")).toMatchObject({ risk: "high", hardManual: "auth_network_change", rule: "keys/(prod).pem" });
    expect(classify(rules, "keys/prod.pem").risk).toBe("high");
  });

  it("says a mode change raised the risk only when it did", () => {
    const rules = rulesOf([{ glob: "**/*.service", risk: "high", hard_manual: "service_restart" }]);
    expect(classify(rules, "units/app.service", { modeChanged: true }).note).toBe("matches `**/*.service`");
    expect(classify(rules, "docs/readme.md", { modeChanged: true })).toMatchObject({ risk: "high", note: "no risk rule matches: the policy's default; its mode changes: raised to high" });
  });
});

describe("a risk rule glob with parentheses", () => {
  it("accepts a paired extglob group", () => {
    expect(riskGlobProblem("**/@(nginx|caddy).conf")).toBeNull();
  });

  it("refuses an unclosed `(`, which picomatch reads literally", () => {
    expect(riskGlobProblem("config/(a")).toBe("`config/(a` has an unclosed `(`, so it is read literally and matches no file; pair its `{}`, `[]` and `()`");
  });
});
