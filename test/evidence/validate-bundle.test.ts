import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evidenceBundleSchema } from "../../src/evidence/bundle-schema.js";
import { EVIDENCE_KINDS } from "../../src/evidence/kinds.js";
import { validateBundle } from "../../src/evidence/validate-bundle.js";
import { bundleOf, item } from "../helpers/bundles.js";

// ajv (compiled from the generated JSON Schema) is the fast accept path; zod is the definition.
// If ajv ever accepted what zod refuses, a bad bundle would reach the engine: these tests hold them together.
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 1200 }),
  // Lone and paired surrogates around the length limits: the two validators must count alike.
  fc.string({ unit: fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.constantFrom("😀", "a")), minLength: 990, maxLength: 2010 }),
  fc.constantFrom("", "x".repeat(2000), "x".repeat(2001), "😀".repeat(1000), "😀".repeat(1001), "a/../b", "../a", "a//b", "/abs", "ok.json", "dir/ok.json", "a\\b", "__proto__", "constructor"),
  fc.constantFrom("2026-11-21T11:50:00Z", "2026-11-21T11:50:00", "2026-02-29T00:00:00Z", "2028-02-29T00:00:00+01:00", "2026-11-21T11:50:00.123456Z", "2026-11-21 11:50:00Z"),
  fc.constantFrom("sha256:" + "a".repeat(64), "a".repeat(64), "sha256:" + "A".repeat(64), "sha256:abc"),
);
const anyValue = fc.oneof(tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 2 }));

const base = () => bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard")], { target: { host: "iskra" }, plan: { steps: [{ action: "health.probe" }] } });

type Path = Array<string | number>;
const FIELD_PATHS: Path[] = [
  ["schema"], ["generated_at"], ["producer", "name"], ["producer", "version"], ["producer", "extra"], ["candidate", "repair_class"], ["candidate", "summary"],
  ["candidate", "target", "host"], ["candidate", "plan", "steps", 0, "action"], ["candidate", "plan", "steps", 0, "target"], ["candidate", "extra"],
  ["evidence", 0, "kind"], ["evidence", 0, "status"], ["evidence", 0, "generated_at"], ["evidence", 0, "expires_at"], ["evidence", 0, "artifact"], ["evidence", 0, "sha256"],
  ["evidence", 0, "subject"], ["evidence", 0, "summary"], ["evidence", 0, "id"], ["evidence", 0, "data"], ["evidence", 1, "data", "nested"], ["evidence", 1, "unknown"], ["extra"],
];

function setAt(target: unknown, path: Path, value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

describe("bundle validation: ajv fast path and zod agree", () => {
  it("on every single- and multi-field mutation of a valid bundle", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...FIELD_PATHS), fc.oneof(anyValue, fc.constantFrom(...EVIDENCE_KINDS), fc.constantFrom("pass", "warn", "fail", "unknown"))), { minLength: 1, maxLength: 3 }), (edits) => {
        const doc = structuredClone(base()) as unknown;
        for (const [path, value] of edits) setAt(doc, path, value);
        const fast = validateBundle(doc).ok;
        const slow = evidenceBundleSchema.safeParse(doc).success;
        return fast === slow;
      }),
      { numRuns: 3000 },
    );
  });

  it("on removal of any field", () => {
    for (const path of FIELD_PATHS) {
      const doc = structuredClone(base()) as Record<string, unknown>;
      let node = doc as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) node = (node[key] ?? {}) as Record<string | number, unknown>;
      delete node[path[path.length - 1]!];
      expect(validateBundle(doc).ok, path.join(".")).toBe(evidenceBundleSchema.safeParse(doc).success);
    }
  });

  it("gives zod's path-first diagnostics when a bundle is refused", () => {
    const doc = structuredClone(base()) as unknown as { evidence: Array<Record<string, unknown>> };
    doc.evidence[1]!["kind"] = "autoheal-dashbord";
    const result = validateBundle(doc);
    expect(result).toEqual({ ok: false, diagnostics: [{ path: "bundle.evidence[1].kind", message: "unknown evidence kind `autoheal-dashbord`; did you mean `autoheal-dashboard`?" }] });
  });

  it("says an issue number must be more than 0 when it is 0, not that it must be at least 0", () => {
    const doc = structuredClone(base()) as unknown as { candidate: Record<string, unknown> };
    doc.candidate["issue"] = 0;
    const result = validateBundle(doc);
    expect(result.ok ? [] : result.diagnostics).toEqual([{ path: "bundle.candidate.issue", message: "must be more than 0, got `0`" }]);
  });

  it("says an item without a kind is missing one, not of an unknown kind `nothing`", () => {
    const doc = structuredClone(base()) as unknown as { evidence: Array<Record<string, unknown>> };
    delete doc.evidence[0]!["kind"];
    const result = validateBundle(doc);
    expect(result.ok ? [] : result.diagnostics).toEqual([{ path: "bundle.evidence[0].kind", message: `missing; add it: one of ${EVIDENCE_KINDS.join(", ")}` }]);
  });

  it("counts string lengths in code points, as zod does", () => {
    const doc = structuredClone(base());
    doc.candidate.summary = "😀".repeat(2000); // 4000 UTF-16 units, 2000 code points: at the limit
    expect(validateBundle(doc).ok).toBe(true);
    expect(evidenceBundleSchema.safeParse(doc).success).toBe(true);
    doc.candidate.summary = "😀".repeat(2001);
    expect(validateBundle(doc).ok).toBe(false);
    expect(evidenceBundleSchema.safeParse(doc).success).toBe(false);
  });
});
