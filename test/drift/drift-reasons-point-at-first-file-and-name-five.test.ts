import { describe, expect, it } from "vitest";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, type FileSpec, planBetween } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

const judge = (plan: DriftPlan) => evaluate(inputOf(bundleWith(plan)), policy, AT_NOON);

/** `count` systemd units added in the repository: each high risk and in `service_restart`. */
function units(count: number): Record<string, FileSpec> {
  const files: Record<string, FileSpec> = {};
  for (let n = 1; n <= count; n++) files[`systemd/user/unit-${n}.service`] = { content: `[Service]\nExecStart=/usr/bin/true ${n}\n` };
  return files;
}

const pathOf = (plan: DriftPlan, reasonPath: string | undefined) => plan.files[Number(/files\[(\d+)\]$/.exec(reasonPath ?? "")?.[1])]?.path;

describe("drift risk reasons point at the first file they name", () => {
  it("a high-risk, a medium-risk and a hard-manual reason each point at their first file, not a later one", () => {
    // README.md is low risk and sorts first, so no risky file is files[0].
    const plan = planBetween(policy, {
      local: {
        "README.md": { content: "# iskra-openclaw, edited\n" },
        "src/gateway/a.mjs": { content: "export const a = 1;\n" },
        "src/gateway/b.mjs": { content: "export const b = 2;\n" },
        ...units(2),
      },
    });
    expect(plan.files.map((f) => [f.path, f.risk])).toEqual([
      ["README.md", "low"],
      ["src/gateway/a.mjs", "medium"],
      ["src/gateway/b.mjs", "medium"],
      ["systemd/user/unit-1.service", "high"],
      ["systemd/user/unit-2.service", "high"],
    ]);
    const verdict = judge(plan);
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.map((r) => [r.code, r.path, pathOf(plan, r.path)])).toEqual([
      ["drift_high_risk", "bundle.evidence[1].data.files[3]", "systemd/user/unit-1.service"],
      ["drift_medium_risk", "bundle.evidence[1].data.files[1]", "src/gateway/a.mjs"],
      ["drift_hard_manual", "bundle.evidence[1].data.files[3]", "systemd/user/unit-1.service"],
    ]);
    expect(verdict.reasons[0]!.message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) changes 2 high-risk file(s): `systemd/user/unit-1.service`, `systemd/user/unit-2.service`; the operator reviews them before any apply",
    );
  });

  it("lists hard-manual classes by name, whatever order their files come in", () => {
    // config/ files (service_restart) sort before tls/ (auth_network_change).
    const plan = planBetween(policy, { local: { "config/a.json": { content: "{}\n" }, "config/openclaw.json5": { content: "{}\n" }, "tls/server.key": { content: "key\n" } } });
    expect(plan.files.map((f) => [f.path, f.hard_manual])).toEqual([
      ["config/a.json", "service_restart"],
      ["config/openclaw.json5", "service_restart"],
      ["tls/server.key", "auth_network_change"],
    ]);
    const hardManual = judge(plan).reasons.filter((r) => r.code === "drift_hard_manual");
    expect(hardManual.map((r) => [r.path, /class `([a-z_]+)`/.exec(r.message)?.[1]])).toEqual([
      ["bundle.evidence[1].data.files[2]", "auth_network_change"],
      ["bundle.evidence[1].data.files[0]", "service_restart"],
    ]);
    expect(hardManual[1]!.message).toMatch(/changes 2 file\(s\) in hard-manual class `service_restart` \(`config\/a\.json`, `config\/openclaw\.json5`\) — /);
  });
});

describe("drift risk reasons name at most five files", () => {
  it("names all five of five high-risk files", () => {
    const message = judge(planBetween(policy, { local: units(5) })).reasons.find((r) => r.code === "drift_high_risk")!.message;
    expect(message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) changes 5 high-risk file(s): `systemd/user/unit-1.service`, `systemd/user/unit-2.service`, `systemd/user/unit-3.service`, `systemd/user/unit-4.service`, `systemd/user/unit-5.service`; the operator reviews them before any apply",
    );
  });

  it("names the first five of six and counts the rest", () => {
    const verdict = judge(planBetween(policy, { local: units(6) }));
    expect(verdict.reasons.find((r) => r.code === "drift_high_risk")!.message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) changes 6 high-risk file(s): `systemd/user/unit-1.service`, `systemd/user/unit-2.service`, `systemd/user/unit-3.service`, `systemd/user/unit-4.service`, `systemd/user/unit-5.service` and 1 more; the operator reviews them before any apply",
    );
    expect(verdict.reasons.find((r) => r.code === "drift_hard_manual")!.message).toMatch(/changes 6 file\(s\) in hard-manual class `service_restart` \(`systemd\/user\/unit-1\.service`, .*`systemd\/user\/unit-5\.service` and 1 more\)/);
  });
});
