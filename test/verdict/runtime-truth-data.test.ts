import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

// Found by review: the engine trusted each item's `status` and never read the OpenClaw output in
// its `data`. The shipped example (fixtures/examples/runtime-diagnostics.bundle.yaml), judged
// eligible at 12:00, with only the runtime-truth-report's data changed.
const EXAMPLE = readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8");
const NOW = Date.parse("2026-11-21T12:00:00Z");
const policy = await readPolicy();

function judge(edit: (truthData: Record<string, any>) => void) {
  const bundle = parse(EXAMPLE) as Record<string, any>;
  const truth = bundle.evidence.find((e: any) => e.kind === "runtime-truth-report");
  edit(truth.data);
  const bytes = Buffer.from(JSON.stringify(bundle, null, 2));
  return evaluate(assembleInput(openBundle("b.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}

describe("runtime-truth-report: status `pass` whose own OpenClaw output says otherwise", () => {
  it("baseline: the example as shipped is eligible", () => {
    expect(judge(() => {}).verdict).toBe("eligible_repair_dry_run");
  });
  it("a gateway reporting ready while draining (readyz.draining: true) is not a green light", () => {
    expect(judge((d) => (d.readyz.draining = true)).verdict).not.toBe("eligible_repair_dry_run");
  });
  it("`openclaw health --json` with ok: false and a failed channel probe is not a green light", () => {
    expect(judge((d) => { d.health.ok = false; d.health.channels.matrix.probe.ok = false; }).verdict).not.toBe("eligible_repair_dry_run");
  });
  it("`openclaw gateway probe --json` with degraded: true is not a green light", () => {
    expect(judge((d) => (d.gateway_probe = { ok: true, degraded: true, capability: "partial", warnings: [{ code: "channel_down", message: "matrix down" }] })).verdict).not.toBe("eligible_repair_dry_run");
  });
});
