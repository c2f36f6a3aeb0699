import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { driftPlanSchema } from "../../src/drift/plan-schema.js";
import { validatePlan } from "../../src/drift/validate-plan.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { planFor, REMOTES, type RemoteName } from "./fixture-set.js";

// The fast path (ajv from the generated JSON Schema, manifest paths, consistency) must accept
// exactly what zod accepts, or a broken plan would reach the gate's judgement.
const policy = await readPolicy();
const plans = (Object.keys(REMOTES) as RemoteName[]).map((name) => planFor(policy, name));

type Path = Array<string | number>;
const FIELD_PATHS: Path[] = [
  ["schema"], ["mode"], ["digest"], ["summary"], ["planned_at"], ["drift"], ["risk"], ["hard_manual"], ["hard_manual", 0], ["counts", "changed"], ["counts", "unchanged"],
  ["local", "generated_at"], ["local", "files"], ["remote", "digest"], ["remote", "ignore", 0], ["policy", "digest"], ["executor"], ["postchecks", 0], ["receipt_fields"],
  ["prechecks", "backup", "files", 0, "path"], ["prechecks", "backup", "files", 0, "sha256"], ["prechecks", "remote_unchanged", "digest"], ["prechecks", "deploy_lock", "must_be"],
  ["files", 0, "path"], ["files", 0, "change"], ["files", 0, "differs"], ["files", 0, "local"], ["files", 0, "remote", "sha256"], ["files", 0, "remote", "mode"], ["files", 0, "risk"],
  ["files", 0, "hard_manual"], ["files", 0, "target"], ["files", 1, "path"], ["files", 0, "extra"], ["extra"],
];
const value = fc.oneof(
  fc.string(),
  fc.constantFrom("", "docs/a.md", "docs/../a.md", "/abs", "a//b", "a\u0000b", "\ud800", "zzz", "sha256:" + "a".repeat(64), "0644", "0999", "free", "high", "low", "none", "changed", "added", "removed", "2026-11-21T11:50:00Z", "2026-11-21 11:50"),
  fc.integer({ min: -2, max: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom("content", "mode", "type", "x"), { maxLength: 3 }),
);

function setAt(target: unknown, path: Path, to: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = to;
}

describe("drift plan validation: fast path and zod agree", () => {
  it("accepts every plan the drift lane makes", () => {
    for (const plan of plans) {
      expect(driftPlanSchema.safeParse(plan).success).toBe(true);
      expect(validatePlan(plan, "plan")).toEqual({ ok: true, value: plan });
    }
  });

  it("on every single- and multi-field mutation of a valid plan", () => {
    fc.assert(
      fc.property(fc.constantFrom(...plans), fc.array(fc.tuple(fc.constantFrom(...FIELD_PATHS), value), { minLength: 1, maxLength: 3 }), (plan, edits) => {
        const doc = structuredClone(plan) as unknown;
        for (const [path, to] of edits) setAt(doc, path, to);
        return validatePlan(doc, "plan").ok === driftPlanSchema.safeParse(doc).success;
      }),
      { numRuns: 3000 },
    );
  });

  it("when a file is renamed in both places a plan names it (files and backup list)", () => {
    const changed = plans.find((plan) => plan.prechecks.backup.files.length > 0)!;
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom("", "/abs", "a//b", "docs/../x", "./x", "x/", "a\u0000b", "a\nb", "\ud800x", "zzz/ok.md")), (path) => {
        const doc = structuredClone(changed);
        const original = doc.prechecks.backup.files[0]!.path;
        doc.prechecks.backup.files[0]!.path = path;
        doc.files.find((file) => file.path === original)!.path = path;
        return validatePlan(doc, "plan").ok === driftPlanSchema.safeParse(doc).success;
      }),
      { numRuns: 2000 },
    );
    const doc = structuredClone(changed);
    const original = doc.prechecks.backup.files[0]!.path;
    doc.prechecks.backup.files[0]!.path = "../../etc/passwd";
    doc.files.find((file) => file.path === original)!.path = "../../etc/passwd";
    expect(validatePlan(doc, "plan").ok).toBe(false);
  });

  it("explains a refusal with zod's path-first diagnostics", () => {
    const doc = structuredClone(plans.find((plan) => plan.files.length > 0)!);
    doc.counts.changed += 1;
    expect(validatePlan(doc, "bundle.evidence[3].data")).toEqual({ ok: false, diagnostics: [{ path: "bundle.evidence[3].data.counts.changed", message: expect.stringMatching(/^says \d+, but \d+ file\(s\) are listed as changed$/) }] });
  });
});
