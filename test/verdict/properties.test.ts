import fc from "fast-check";
import * as z from "zod";
import { describe, expect, it } from "vitest";
import { isoTime, type EvidenceBundle, type EvidenceItem } from "../../src/evidence/bundle-schema.js";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import type { EvaluationInput } from "../../src/evidence/evaluation-input.js";
import { EVIDENCE_KINDS, EVIDENCE_STATUSES, type EvidenceStatus } from "../../src/evidence/kinds.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { parseIsoTime } from "../../src/time/iso-time.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { VERDICT_RANK, type Verdict } from "../../src/verdict/verdict-types.js";

const policy = await readPolicy();
const NOW = Date.parse("2026-11-21T12:00:00Z");
const CLASSES = [...policy.repairClasses.keys()];
const MUTATING = CLASSES.filter((name) => policy.repairClasses.get(name)!.mutation);
const ACTIONS = ["health.probe", "doctor.lint", "drift.plan", "service.restart", "files.delete", "files.chmod", "incident.summarize"];
const RUNS = { numRuns: 400 };

const iso = (ms: number) => new Date(ms).toISOString();
const rank = (verdict: Verdict) => VERDICT_RANK[verdict.verdict];

/** An item whose age is anywhere from fresh to twice its kind's max age; never future-dated unless asked. */
const itemArb = (allowFuture: boolean): fc.Arbitrary<EvidenceItem> =>
  fc
    .record({
      kind: fc.constantFrom(...EVIDENCE_KINDS),
      status: fc.constantFrom(...EVIDENCE_STATUSES),
      subject: fc.option(fc.constantFrom("gateway", "signal", "iskra"), { nil: undefined }),
      ageFraction: fc.double({ min: allowFuture ? -0.2 : 0, max: 2, noNaN: true }),
      expiresIn: fc.option(fc.integer({ min: -3_600, max: 86_400 }), { nil: undefined }),
      claim: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map(({ kind, status, subject, ageFraction, expiresIn, claim }) => {
      const ageMs = Math.round(ageFraction * policy.maxAgeSeconds[kind] * 1000);
      const item: EvidenceItem = { kind, status, generated_at: iso(NOW - ageMs), data: claim ? { operator_approval: true } : { probe: "ok" } };
      if (subject !== undefined) item.subject = subject;
      if (expiresIn !== undefined) item.expires_at = iso(NOW + expiresIn * 1000);
      return item;
    });

const bundleArb = (options: { classes?: string[]; allowFuture?: boolean } = {}): fc.Arbitrary<EvidenceBundle> =>
  fc
    .record({
      repairClass: fc.constantFrom(...(options.classes ?? [...CLASSES, "not_a_class"])),
      evidence: fc.array(itemArb(options.allowFuture ?? false), { maxLength: 9 }),
      steps: fc.option(fc.array(fc.constantFrom(...ACTIONS), { maxLength: 3 }), { nil: undefined }),
    })
    .map(({ repairClass, evidence, steps }) => {
      const bundle: EvidenceBundle = {
        schema: "patchwarden.evidence_bundle.v1",
        generated_at: iso(NOW - 60_000),
        producer: { name: "fast-check" },
        candidate: { repair_class: repairClass, summary: "generated" },
        evidence,
      };
      if (steps !== undefined) bundle.candidate.plan = { steps: steps.map((action) => ({ action })) };
      return bundle;
    });

/** A bundle whose required evidence is all present, fresh and passing, so the properties reach every rule. */
const greenishBundleArb = (classes: string[]) =>
  fc.tuple(bundleArb({ classes }), fc.constantFrom(...EVIDENCE_STATUSES)).map(([bundle, extraStatus]) => {
    const cls = policy.repairClasses.get(bundle.candidate.repair_class)!;
    const required = cls.requires.map((kind): EvidenceItem => ({ kind, status: "pass", generated_at: iso(NOW - 60_000), data: {} }));
    return { ...bundle, evidence: [...required, ...bundle.evidence.map((item) => ({ ...item, status: extraStatus }))] };
  });

const input = (bundle: EvidenceBundle): EvaluationInput => ({ format: "patchwarden.evidence_bundle.v1", digest: "sha256:" + "0".repeat(64) as `sha256:${string}`, bundle, findings: [], artifacts: [] });
const judge = (bundle: EvidenceBundle, now = NOW) => evaluate(input(bundle), policy, now);

const WORSE: Record<EvidenceStatus, EvidenceStatus[]> = { pass: ["warn", "unknown", "fail"], warn: ["fail"], unknown: ["fail"], fail: [] };

describe("verdict properties (fast-check)", () => {
  it("a mutating repair class is never eligible, whatever the evidence", () => {
    fc.assert(fc.property(fc.oneof(bundleArb({ classes: MUTATING }), greenishBundleArb(MUTATING)), (bundle) => judge(bundle).verdict !== "eligible_repair_dry_run"), RUNS);
  });

  it("an unknown repair class is always blocked", () => {
    fc.assert(fc.property(bundleArb({ classes: ["not_a_class"] }), (bundle) => judge(bundle).verdict === "blocked"), RUNS);
  });

  it("turning any item's status worse never improves the verdict", () => {
    fc.assert(
      fc.property(fc.oneof(bundleArb(), greenishBundleArb(CLASSES)), fc.nat(), fc.nat(), (bundle, pick, worsePick) => {
        if (bundle.evidence.length === 0) return true;
        const index = pick % bundle.evidence.length;
        const options = WORSE[bundle.evidence[index]!.status];
        if (options.length === 0) return true;
        const worse = structuredClone(bundle);
        worse.evidence[index]!.status = options[worsePick % options.length]!;
        return rank(judge(worse)) >= rank(judge(bundle));
      }),
      RUNS,
    );
  });

  it("ageing evidence (that is not future-dated) never improves the verdict", () => {
    fc.assert(
      fc.property(fc.oneof(bundleArb(), greenishBundleArb(CLASSES)), fc.nat(), fc.integer({ min: 1, max: 7 * 86_400 }), (bundle, pick, seconds) => {
        if (bundle.evidence.length === 0) return true;
        const index = pick % bundle.evidence.length;
        const older = structuredClone(bundle);
        older.evidence[index]!.generated_at = iso(parseIsoTime(bundle.evidence[index]!.generated_at)! - seconds * 1000);
        return rank(judge(older)) >= rank(judge(bundle));
      }),
      RUNS,
    );
  });

  it("letting time pass never improves the verdict for evidence that is not future-dated", () => {
    fc.assert(
      fc.property(fc.oneof(bundleArb(), greenishBundleArb(CLASSES)), fc.integer({ min: 1, max: 7 * 86_400 }), (bundle, seconds) => rank(judge(bundle, NOW + seconds * 1000)) >= rank(judge(bundle))),
      RUNS,
    );
  });

  it("removing a whole evidence kind never improves the verdict, unless that kind carried bad news", () => {
    fc.assert(
      fc.property(fc.oneof(bundleArb(), greenishBundleArb(CLASSES)), fc.constantFrom(...EVIDENCE_KINDS), (bundle, kind) => {
        const removed = bundle.evidence.filter((item) => item.kind === kind);
        const before = judge(bundle);
        const carriedBadNews = before.reasons.some((r) => r.severity !== "info" && r.evidence !== undefined && removed.includes(bundle.evidence[r.evidence.index]!));
        if (carriedBadNews) return true;
        return rank(judge({ ...bundle, evidence: bundle.evidence.filter((item) => item.kind !== kind) })) >= rank(before);
      }),
      RUNS,
    );
  });

  it("removing a fresh, passing item that claims nothing never improves the verdict", () => {
    fc.assert(
      fc.property(greenishBundleArb(CLASSES), fc.nat(), (bundle, pick) => {
        const index = pick % bundle.evidence.length;
        const before = judge(bundle);
        if (before.reasons.some((r) => r.severity !== "info" && r.evidence?.index === index)) return true;
        const fewer = { ...bundle, evidence: bundle.evidence.filter((_, i) => i !== index) };
        return rank(judge(fewer)) >= rank(before);
      }),
      RUNS,
    );
  });

  it("claiming approval inside evidence never improves the verdict", () => {
    fc.assert(
      fc.property(fc.oneof(bundleArb(), greenishBundleArb(CLASSES)), fc.nat(), fc.constantFrom("operator_approval", "approved", "approved_by", "production_apply_allowed"), (bundle, pick, key) => {
        if (bundle.evidence.length === 0) return true;
        const claimed = structuredClone(bundle);
        const item = claimed.evidence[pick % claimed.evidence.length]!;
        item.data = { ...item.data, [key]: key === "approved_by" ? "operator" : true };
        const after = judge(claimed);
        return rank(after) >= rank(judge(bundle)) && after.verdict !== "eligible_repair_dry_run";
      }),
      RUNS,
    );
  });

  it("the verdict is the worst severity among its reasons, and eligible always says dry run only", () => {
    fc.assert(
      fc.property(bundleArb({ allowFuture: true }), (bundle) => {
        const verdict = judge(bundle);
        const severities = new Set(verdict.reasons.map((r) => r.severity));
        const expected = severities.has("block") ? "blocked" : severities.has("hold") ? "needs_human" : "eligible_repair_dry_run";
        return verdict.verdict === expected && (verdict.verdict !== "eligible_repair_dry_run" || verdict.reasons.some((r) => r.code === "dry_run_only"));
      }),
      RUNS,
    );
  });

  it("any JSON document at all is judged without throwing, and is never eligible unless it is a valid bundle", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const bytes = Buffer.from(JSON.stringify(value) ?? "null");
        const verdict = evaluate(assembleInput(openBundle("fuzz.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
        return verdict.verdict === "blocked";
      }),
      { numRuns: 1000 },
    );
  });

  it("any bytes at all are judged without throwing, and are blocked", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom("b.json", "b.yaml", "b"), (bytes, name) => {
        const verdict = evaluate(assembleInput(openBundle(name, bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
        return verdict.verdict === "blocked";
      }),
      { numRuns: 1000 },
    );
  });

  it("mutating a valid bundle's fields at random never crashes the engine and never makes a mutating class eligible", () => {
    fc.assert(
      fc.property(greenishBundleArb(MUTATING), fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), (bundle, edits) => {
        const doc = structuredClone(bundle) as unknown as Record<string, unknown>;
        const keys = ["generated_at", "producer", "candidate", "evidence", "schema"];
        for (const [pick, value] of edits) doc[keys[pick % keys.length]!] = value;
        const verdict = evaluate(assembleInput(openBundle("b.json", Buffer.from(JSON.stringify(doc)), DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
        return verdict.verdict !== "eligible_repair_dry_run";
      }),
      RUNS,
    );
  });

  it("every time the contract accepts, the engine can place (the two parsers agree)", () => {
    const times = fc.tuple(
      fc.integer({ min: 1970, max: 2200 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
      fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }),
      fc.constantFrom("Z", "+00:00", "+01:00", "-05:30", "+14:00", "+24:00", "", "z", "+0100"),
    ).map(([y, mo, d, h, mi, s, frac, offset]) => {
      const p = (n: number, w = 2) => String(n).padStart(w, "0");
      return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${frac !== undefined ? `.${frac}` : ""}${offset}`;
    });
    fc.assert(
      fc.property(times, (text) => {
        const accepted = z.safeParse(isoTime, text).success;
        const placed = parseIsoTime(text);
        return !accepted || (placed !== null && Number.isFinite(placed));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("the generators reach every verdict (so the properties are not vacuous)", () => {
  it("samples eligible, needs_human and blocked bundles", () => {
    const seen = new Set(fc.sample(fc.oneof(bundleArb(), greenishBundleArb(CLASSES)), { numRuns: 600, seed: 42 }).map((bundle) => judge(bundle).verdict));
    expect([...seen].sort()).toEqual(["blocked", "eligible_repair_dry_run", "needs_human"]);
  });
});
