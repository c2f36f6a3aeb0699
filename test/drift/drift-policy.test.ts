import { describe, expect, it } from "vitest";
import { classify, targetOf } from "../../src/drift/drift-rules.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";



describe("the [drift] policy section", () => {
  it("ships with the canonical runbook as executor, and keeps deploy_drift_probe one class among several", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const drift = parsed.policy.drift!;
    expect(drift.executor).toBe("scripts/iskra-openclaw-deploy.sh");
    expect(parsed.policy.repairClasses.get("deploy_drift_probe")!.requires).toEqual(["deploy-drift-probe", "runtime-truth-report"]);
    expect(parsed.policy.repairClasses.size).toBeGreaterThan(3);
  });

  it.each([
    ["systemd/user/openclaw-gateway.service", "high", "service_restart"],
    ["deploy/openclaw-gateway.timer", "high", "service_restart"],
    // A drop-in overrides its unit (ExecStart= too) and takes the same daemon-reload and restart.
    ["systemd/user/openclaw-gateway.service.d/override.conf", "high", "service_restart"],
    ["deploy/openclaw-gateway.timer.d/10-hourly.conf", "high", "service_restart"],
    // Case is the producer's to choose: the worse of the match as written and ignoring case.
    ["tls/server.KEY", "high", "auth_network_change"],
    ["tls/server.PEM", "high", "auth_network_change"],
    ["config/Secrets/api.json", "high", "auth_network_change"],
    ["deploy/.ENV", "high", "auth_network_change"],
    ["Config/openclaw.JSON5", "medium", "service_restart"],
    ["README.MD", "medium", null],
    ["Docs/Runbook.md", "low", null],
    [".env", "high", "auth_network_change"],
    ["config/secrets/matrix.token", "high", "auth_network_change"],
    ["config/gateway.json5", "medium", "service_restart"],
    ["srv/secrets/matrix.token", "high", "auth_network_change"],
    ["etc/nginx/sites/iskra.conf", "high", "auth_network_change"],
    ["tls/iskra.key", "high", "auth_network_change"],
    ["openclaw.json5", "medium", "service_restart"],
    ["config/channels.yaml", "medium", "service_restart"],
    ["docs/runbook.md", "low", null],
    ["README.md", "low", null],
    ["src/gateway/probe.mjs", "medium", null],
    ["assets/logo.png", "medium", null],
  ])("classifies %s as %s (hard-manual: %s), first match winning", (path, risk, hardManual) => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error("shipped policy invalid");
    const judged = classify(parsed.policy.drift!, path);
    expect([judged.risk, judged.hardManual]).toEqual([risk, hardManual]);
  });

  it("says when a path's rule matched only ignoring case", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error("shipped policy invalid");
    expect(classify(parsed.policy.drift!, "config/Secrets/api.json")).toEqual({
      risk: "high",
      hardManual: "auth_network_change",
      rule: "**/{auth,credentials,secrets,tokens}/**",
      note: "matches `**/{auth,credentials,secrets,tokens}/**` ignoring case (credentials and auth configuration)",
    });
  });

  it("maps systemd user units and the rest of the tree to their places on the host", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error("shipped policy invalid");
    expect(targetOf(parsed.policy.drift!, "systemd/user/openclaw-gateway.service")).toBe("/home/iskra/.config/systemd/user/openclaw-gateway.service");
    expect(targetOf(parsed.policy.drift!, "src/gateway/probe.mjs")).toBe("/opt/iskra-openclaw/src/gateway/probe.mjs");
  });

  it("is optional: a policy without it loads, and has no drift rules", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED.replace(/\n\[drift\][\s\S]*$/, "\n")));
    expect(parsed.ok && parsed.policy.drift).toBeNull();
  });

  it("refuses unknown keys, bad mappings, globs and risks, all at once, each with its TOML path", () => {
    const toml = SHIPPED
      .replace('mode_change_risk = "high"', 'mode_change_risk = "high"\nmode_change = "high"')
      .replace('{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" }', '{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user" }, { local = "../etc/", target = "/etc/" }, { local = "", target = "relative/" }, { local = "", target = "/srv/" }')
      .replace('{ glob = "docs/**", risk = "low", description = "documentation" }', '{ glob = "/docs/**", risk = "lowest" }');
    expect(policyProblems(toml).sort()).toEqual([
      "policy.drift.mode_change: unknown key `mode_change`; remove it or check its spelling",
      "policy.drift.paths[0].target: `/home/iskra/.config/systemd/user` must end in `/`: `local` names a folder, so the target is a folder",
      "policy.drift.paths[1].local: `../etc` climbs out of the root; record paths relative to the scanned folder",
      "policy.drift.paths[2].target: `relative/` is not an absolute path on the host; write it like `/opt/iskra-openclaw/`",
      // Reported although the section has other problems: the order checks run regardless.
      "policy.drift.paths[3].local: `` is mapped already by paths[2], which wins; remove one",
      "policy.drift.paths[4].local: `` is mapped already by paths[2], which wins; remove one",
      "policy.drift.risk_rules[9].glob: `/docs/**` starts with `/`; globs match paths relative to the manifest's root, like `**/*.service`",
      "policy.drift.risk_rules[9].risk: unknown value `lowest`; expected one of `low`, `medium`, `high`",
    ]);
  });

  it("bounds the texts a plan carries into a bundle, so every plan fits the bundle contract", () => {
    const toml = SHIPPED.replace('executor = "scripts/iskra-openclaw-deploy.sh"', `executor = "${"x".repeat(501)}"`);
    expect(policyProblems(toml)).toEqual(["policy.drift.executor: is longer than 500 characters"]);
  });

  it("refuses a mapping listed twice and a hard-manual class the policy does not define", () => {
    const toml = SHIPPED
      .replace('{ local = "", target = "/opt/iskra-openclaw/" }', '{ local = "", target = "/opt/iskra-openclaw/" }, { local = "", target = "/srv/" }')
      .replace('hard_manual = "service_restart", description = "systemd units', 'hard_manual = "service_restrat", description = "systemd units');
    expect(policyProblems(toml)).toEqual([
      "policy.drift.paths[2].local: `` is mapped already by paths[1], which wins; remove one",
      "policy.drift.risk_rules[0].hard_manual: unknown hard-manual class `service_restrat`; define it under [hard_manual.service_restrat] or remove it",
    ]);
  });
});
