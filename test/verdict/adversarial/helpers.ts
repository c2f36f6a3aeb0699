/** Bundles and judging for the adversarial verdict tests: a green read-only bundle each test bends one way. */
import { DEFAULT_LIMITS } from "../../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../../src/evidence/open-bundle.js";
import { readPolicy } from "../../../src/policy/read-policy.js";
import { evaluate } from "../../../src/verdict/evaluate.js";
import type { Verdict } from "../../../src/verdict/verdict-types.js";

export const policy = await readPolicy();
export const NOW = Date.parse("2026-11-21T12:00:00Z");

/** A read-only runtime_diagnostics bundle, fresh and green: eligible unless something holds it. */
export function greenBundle(opts: { data?: Record<string, unknown>; candidate?: Record<string, unknown>; extraEvidence?: unknown[] } = {}) {
  return {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:55:00Z",
    producer: { name: "adversarial-tests" },
    candidate: { repair_class: "runtime_diagnostics", summary: "diagnostics", ...(opts.candidate ?? {}) },
    evidence: [
      { kind: "runtime-truth-report", generated_at: "2026-11-21T11:50:00Z", status: "pass", data: opts.data ?? { probe: "ok" } },
      { kind: "autoheal-dashboard", generated_at: "2026-11-21T11:50:00Z", status: "pass", data: { probe: "ok" } },
      ...(opts.extraEvidence ?? []),
    ],
  };
}

/** Through the real decode path, as a producer's file would be read. */
export function judgeText(text: string, name = "bundle.json"): Verdict {
  return evaluate(assembleInput(openBundle(name, Buffer.from(text), DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}
export const judge = (bundle: unknown): Verdict => judgeText(JSON.stringify(bundle));
export const codes = (v: Verdict) => v.reasons.map((r) => r.code);
