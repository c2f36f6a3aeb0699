import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";

// Found by review: the kind inspectors read shapes the real producers never write, so a failure in
// the shape they do write passed. Each case carries the producer's own output, as written, in the
// shipped example bundle (eligible at NOW), and must not be eligible.
const NOW = Date.parse("2026-11-21T12:00:00Z");
const policy = await readPolicy();

function exampleBundle(): Record<string, any> {
  return parse(readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")) as Record<string, any>;
}

/** A file of the safe-update kit's runs as the kit wrote it (fixtures/openclaw-runs, copies of the operator's). */
function kitFile(run: string, file: string): Record<string, any> {
  return JSON.parse(readFileSync(fixture(`openclaw-runs/${run}/${file}`), "utf8")) as Record<string, any>;
}

function judge(bundle: unknown): Verdict {
  const bytes = Buffer.from(JSON.stringify(bundle, null, 2));
  return evaluate(assembleInput(openBundle("b.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}
const codes = (verdict: Verdict) => verdict.reasons.map((r) => r.code);
const item = (kind: string, subject: string, data: Record<string, unknown>) => ({ kind, subject, generated_at: "2026-11-21T11:30:00Z", status: "pass", data });

describe("the real producers' formats", () => {
  it("baseline: the shipped example is eligible", () => {
    expect(judge(exampleBundle()).verdict).toBe("eligible_repair_dry_run");
  });

  // `openclaw health --json` (openclaw/openclaw src/commands/health.ts): each channel is its default
  // account's summary plus `accounts: { <accountId>: { probe } }`; OpenClaw's own formatter reports
  // the channel failed when any account's probe failed.
  it("a channel whose second account's probe failed (`health.channels.<id>.accounts.<acc>.probe.ok: false`) is blocked", () => {
    const bundle = exampleBundle();
    bundle.evidence[0].data.health.channels.matrix = {
      accountId: "default",
      configured: true,
      probe: { ok: true, status: 200, error: null },
      accounts: {
        default: { accountId: "default", configured: true, probe: { ok: true, status: 200, error: null } },
        work: { accountId: "work", configured: true, probe: { ok: false, status: 401, error: "M_UNKNOWN_TOKEN" } },
      },
    };
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(codes(verdict)).toContain("evidence_data_failed");
    expect(verdict.reasons[0]!.message).toContain("`matrix/work`");
  });

  // conservative-gates.json of the blocked run: `status: failed` and `handling: blocked` at its top
  // level, and a decision with `outcome: blocked`; never a `gate_decision`.
  it("a safe-update-dry-run `pass` carrying the kit's failed conservative-gates.json is blocked", () => {
    const bundle = exampleBundle();
    bundle.evidence.push(item("safe-update-dry-run", "conservative-gates", kitFile("blocked-no-attestation", "conservative-gates.json")));
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "evidence_data_failed").map((r) => r.path)).toEqual([
      "bundle.evidence[3].data.status",
      "bundle.evidence[3].data.handling",
      "bundle.evidence[3].data.decisions[4].outcome",
    ]);
  });

  // verdict.json: the gate decision sits at `decision_content.gate_decision`.
  it("a safe-update-dry-run `pass` whose verdict.json decision says gate status failed / handling blocked is blocked", () => {
    const bundle = exampleBundle();
    const status = kitFile("blocked-no-attestation", "verdict.json");
    status.verdict = "ready_for_operator_plan"; // only the top-level verdict said ready
    bundle.evidence.push(item("safe-update-dry-run", "safe-update-verdict", status));
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "evidence_data_failed").map((r) => r.path)).toEqual([
      "bundle.evidence[3].data.decision_content.verdict",
      "bundle.evidence[3].data.decision_content.gate_decision.status",
      "bundle.evidence[3].data.decision_content.gate_decision.handling",
      "bundle.evidence[3].data.compatibility_view.payload.verdict",
      "bundle.evidence[3].data.decision_content.evidence_status.conservative_gates",
    ]);
  });

  it("the kit's green files, carried the same way, stay eligible", () => {
    const bundle = exampleBundle();
    bundle.evidence.push(
      item("safe-update-dry-run", "conservative-gates", kitFile("green", "conservative-gates.json")),
      item("safe-update-dry-run", "safe-update-verdict", kitFile("green", "verdict.json")),
      item("openclaw-upgrade-simulator", "customization-compatibility", kitFile("green", "customization-compatibility.json")),
      item("openclaw-upgrade-simulator", "installation-coverage", kitFile("green", "coverage-report.json")),
    );
    expect(judge(bundle).verdict).toBe("eligible_repair_dry_run");
  });

  // customization-compatibility.json: `checks: [{ id, status }]`, not `customization_checks: { <id>: status }`.
  it("an openclaw-upgrade-simulator `pass` carrying the kit's customization-compatibility.json with a failed check is blocked", () => {
    const bundle = exampleBundle();
    const compat = kitFile("green", "customization-compatibility.json");
    compat.checks[1].status = "failed";
    compat.checks[1].reason = "member package/dist/runtime.js no longer contains the hook";
    bundle.evidence.push(item("openclaw-upgrade-simulator", "customization-compatibility", compat));
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "evidence_data_failed").map((r) => r.path)).toEqual(["bundle.evidence[3].data.checks[1].status"]);
  });

  // coverage-report.json: `surfaces: [{ id, required, status }]`, not `coverage: { required_surfaces, covered }`.
  it("an openclaw-upgrade-simulator `pass` carrying the kit's coverage-report.json with a required surface failed is not eligible", () => {
    const bundle = exampleBundle();
    const coverage = kitFile("green", "coverage-report.json");
    coverage.surfaces[0].status = "failed";
    coverage.surfaces[0].errors = ["signal entrypoint not exercised"];
    bundle.evidence.push(item("openclaw-upgrade-simulator", "installation-coverage", coverage));
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.filter((r) => r.code === "evidence_data_degraded").map((r) => r.path)).toEqual(["bundle.evidence[3].data.surfaces[0].status"]);
  });

  // `openclaw health --json` carries its own observation time, `ts` (epoch ms): the gateway can
  // answer with a cached snapshot (more in observed-time.test.ts).
  it("a runtime-truth report whose health snapshot (`health.ts`) is three hours older than the report is not eligible", () => {
    const bundle = exampleBundle();
    bundle.evidence[0].data.health.ts = Date.parse("2026-11-21T08:50:00Z");
    expect(judge(bundle).verdict).toBe("blocked");
  });
});
