import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import type { EvidenceBundle, EvidenceItem } from "../../src/evidence/bundle-schema.js";
import type { EvaluationInput } from "../../src/evidence/evaluation-input.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";

export const NOW = Date.parse("2026-11-21T12:00:00Z");

export function item(kind: EvidenceItem["kind"], overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  return { kind, generated_at: "2026-11-21T11:50:00Z", status: "pass", data: { probe: "ok" }, ...overrides };
}

export function bundleOf(repairClass: string, evidence: EvidenceItem[], candidate: Partial<EvidenceBundle["candidate"]> = {}): EvidenceBundle {
  return {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:55:00Z",
    producer: { name: "test" },
    candidate: { repair_class: repairClass, summary: "test candidate", ...candidate },
    evidence,
  };
}

/** Through the real parse → validate stages, as the CLI would see the bytes. */
export function inputOf(bundle: unknown, name = "bundle.json"): EvaluationInput {
  const bytes = Buffer.from(JSON.stringify(bundle, null, 2));
  return assembleInput(openBundle(name, bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS);
}

/** A runtime_diagnostics bundle whose evidence is fresh at `nowMs`, for tests that must use the real clock. */
export function freshBundleBytes(nowMs: number): Uint8Array {
  const at = (minutesAgo: number) => new Date(nowMs - minutesAgo * 60_000).toISOString();
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { generated_at: at(2), subject: "openclaw-gateway" }), item("autoheal-dashboard", { generated_at: at(1), subject: "iskra" })], { target: { host: "iskra", service: "openclaw-gateway.service" } });
  bundle.generated_at = at(1);
  return Buffer.from(JSON.stringify(bundle, null, 2));
}
