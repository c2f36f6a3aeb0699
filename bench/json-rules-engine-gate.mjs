// The gate's rules written with json-rules-engine, the library a team would reach for instead.
//
// buildIdiomaticGate: how the library is meant to be used. Rules are JSON conditions; they reach
//   into the bundle with JSONPath (json-rules-engine resolves `path` with jsonpath-plus), and the
//   arithmetic JSON cannot express (ages, expiry, clock skew, contradictions) lives in dynamic facts.
// buildOperatorGate: a lower bound for the library's cost. Every check is a custom JavaScript
//   operator, so the engine only orchestrates; this is barely "rules in JSON" any more.
//
// Both must reach Patchwarden's verdict on every benchmark bundle (checked before timing).
import { createHash } from "node:crypto";
import { Engine } from "json-rules-engine";
import { decodeText } from "../dist/document/decode-text.js";

const APPROVAL_FLAGS = ["approved", "approval", "operator_approval", "operator_approved", "human_approved", "production_apply_allowed", "apply_allowed", "auto_approve", "auto_approved"];
const APPROVER_KEYS = ["approved_by", "approver", "approved_at"];

function verdictOf(events) {
  const severities = new Set(events.map((e) => e.params.severity));
  return severities.has("block") ? "blocked" : severities.has("hold") ? "needs_human" : "eligible_repair_dry_run";
}

function prepare(bytes) {
  const digest = createHash("sha256").update(bytes).digest("hex");
  return { digest, bundle: JSON.parse(decodeText(bytes)) };
}

export function buildIdiomaticGate(policy) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const hardManualActions = [...policy.hardManualActions.keys()];
  const add = (name, severity, conditions) => engine.addRule({ name, conditions, event: { type: name, params: { severity } } });
  const bundleFact = (path, operator, value) => ({ fact: "bundle", path, operator, value });

  add("repair_class_unknown", "block", { all: [{ fact: "repairClass", operator: "equal", value: null }] });
  for (const kind of Object.keys(policy.maxAgeSeconds)) {
    add(`evidence_missing:${kind}`, "block", { all: [{ fact: "repairClass", path: "$.requires", operator: "contains", value: kind }, bundleFact("$.evidence[*].kind", "doesNotContain", kind)] });
  }
  add("evidence_failed", "block", { all: [bundleFact("$.evidence[*].status", "contains", "fail")] });
  add("evidence_warn", "hold", { all: [bundleFact("$.evidence[*].status", "contains", "warn")] });
  add("evidence_unknown", "hold", { all: [bundleFact("$.evidence[*].status", "contains", "unknown")] });
  add("evidence_stale", "block", { all: [{ fact: "staleCount", operator: "greaterThan", value: 0 }] });
  add("evidence_expired", "block", { all: [{ fact: "expiredCount", operator: "greaterThan", value: 0 }] });
  add("evidence_from_future", "block", { all: [{ fact: "futureCount", operator: "greaterThan", value: 0 }] });
  add("evidence_contradictory", "hold", { all: [{ fact: "contradictions", operator: "greaterThan", value: 0 }] });
  add("mutation_requires_operator", "hold", { all: [{ fact: "repairClass", path: "$.mutation", operator: "equal", value: true }] });
  add("hard_manual_class", "hold", { all: [{ fact: "repairClass", path: "$.hard_manual.length", operator: "greaterThan", value: 0 }] });
  for (const action of hardManualActions) {
    add(`plan_step_hard_manual:${action}`, "hold", { all: [bundleFact("$.candidate.plan.steps[*].action", "contains", action)] });
  }
  add("plan_step_not_allowed", "hold", { all: [{ fact: "stepsNotAllowed", operator: "greaterThan", value: 0 }] });
  for (const key of APPROVAL_FLAGS) {
    add(`approval_claim:${key}`, "hold", { any: [bundleFact(`$.evidence[*].data..${key}`, "contains", true), bundleFact(`$.evidence[*].data..${key}`, "contains", "yes"), bundleFact(`$.evidence[*].data..${key}`, "contains", "approved")] });
  }
  for (const key of APPROVER_KEYS) {
    add(`approval_claim:${key}`, "hold", { all: [{ fact: "bundle", path: `$.evidence[*].data..${key}.length`, operator: "greaterThan", value: 0 }] });
  }

  return async function judge(bytes, now) {
    const { digest, bundle } = prepare(bytes);
    const cls = policy.repairClasses.get(bundle.candidate.repair_class) ?? null;
    const ages = (item) => (now - Date.parse(item.generated_at)) / 1000;
    const facts = {
      bundle,
      repairClass: cls,
      staleCount: () => bundle.evidence.filter((i) => ages(i) > policy.maxAgeSeconds[i.kind]).length,
      expiredCount: () => bundle.evidence.filter((i) => i.expires_at !== undefined && now >= Date.parse(i.expires_at)).length,
      futureCount: () => bundle.evidence.filter((i) => -ages(i) > policy.skewToleranceSeconds).length,
      contradictions: () => {
        const seen = new Map();
        let count = 0;
        for (const i of bundle.evidence) {
          const key = `${i.kind}\u0000${i.subject ?? ""}`;
          if (seen.has(key) && seen.get(key) !== i.status) count++;
          seen.set(key, i.status);
        }
        return count;
      },
      stepsNotAllowed: () => (bundle.candidate.plan?.steps ?? []).filter((s) => cls !== null && !cls.allowed_actions.includes(s.action) && !hardManualActions.includes(s.action)).length,
    };
    const { events } = await engine.run(facts);
    return { digest, verdict: verdictOf(events) };
  };
}

export function buildOperatorGate(policy) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const flags = new Set(APPROVAL_FLAGS);
  const approvers = new Set(APPROVER_KEYS);
  const claims = (node) => {
    if (node === null || typeof node !== "object") return false;
    if (Array.isArray(node)) return node.some(claims);
    for (const [key, value] of Object.entries(node)) {
      const k = key.toLowerCase();
      if (flags.has(k) && (value === true || value === 1 || (typeof value === "string" && /^(?:true|yes|y|approved|granted|allow|allowed|ok)$/i.test(value.trim())))) return true;
      if (approvers.has(k) && (typeof value === "string" ? value.trim().length > 0 : value !== null && value !== false && value !== undefined)) return true;
      if (claims(value)) return true;
    }
    return false;
  };
  engine.addOperator("someStale", (items, { now, maxAge }) => items.some((i) => (now - Date.parse(i.generated_at)) / 1000 > maxAge[i.kind]));
  engine.addOperator("someExpired", (items, now) => items.some((i) => i.expires_at !== undefined && now >= Date.parse(i.expires_at)));
  engine.addOperator("someFuture", (items, { now, skew }) => items.some((i) => (Date.parse(i.generated_at) - now) / 1000 > skew));
  engine.addOperator("someStatus", (items, status) => items.some((i) => i.status === status));
  engine.addOperator("missingAny", (present, required) => required.some((kind) => !present.includes(kind)));
  engine.addOperator("someContradiction", (items) => {
    const seen = new Map();
    for (const i of items) {
      const key = `${i.kind}\u0000${i.subject ?? ""}`;
      if (seen.has(key) && seen.get(key) !== i.status) return true;
      seen.set(key, i.status);
    }
    return false;
  });
  engine.addOperator("someClaimsApproval", (items) => items.some((i) => claims(i.data)));
  engine.addOperator("someStepIn", (steps, actions) => steps.some((s) => actions.includes(s)));
  const rule = (name, severity, condition) => engine.addRule({ name, conditions: { all: [condition] }, event: { type: name, params: { severity } } });
  rule("repair_class_unknown", "block", { fact: "classKnown", operator: "equal", value: false });
  rule("evidence_missing", "block", { fact: "presentKinds", operator: "missingAny", value: { fact: "requiredKinds" } });
  rule("evidence_stale", "block", { fact: "items", operator: "someStale", value: { fact: "staleness" } });
  rule("evidence_expired", "block", { fact: "items", operator: "someExpired", value: { fact: "now" } });
  rule("evidence_from_future", "block", { fact: "items", operator: "someFuture", value: { fact: "staleness" } });
  rule("evidence_failed", "block", { fact: "items", operator: "someStatus", value: "fail" });
  rule("evidence_warn", "hold", { fact: "items", operator: "someStatus", value: "warn" });
  rule("evidence_unknown", "hold", { fact: "items", operator: "someStatus", value: "unknown" });
  rule("evidence_contradictory", "hold", { fact: "items", operator: "someContradiction", value: true });
  rule("mutation_requires_operator", "hold", { fact: "mutation", operator: "equal", value: true });
  rule("hard_manual_class", "hold", { fact: "hardManualCount", operator: "greaterThan", value: 0 });
  rule("plan_step_hard_manual", "hold", { fact: "steps", operator: "someStepIn", value: { fact: "hardManualActions" } });
  rule("approval_claim_ignored", "hold", { fact: "items", operator: "someClaimsApproval", value: true });
  rule("plan_step_not_allowed", "hold", { fact: "stepsNotAllowed", operator: "greaterThan", value: 0 });

  const hardManualActions = [...policy.hardManualActions.keys()];
  return async function judge(bytes, now) {
    const { digest, bundle } = prepare(bytes);
    const cls = policy.repairClasses.get(bundle.candidate.repair_class);
    const steps = (bundle.candidate.plan?.steps ?? []).map((s) => s.action);
    const { events } = await engine.run({
      now,
      items: bundle.evidence,
      classKnown: cls !== undefined,
      presentKinds: [...new Set(bundle.evidence.map((i) => i.kind))],
      requiredKinds: cls?.requires ?? [],
      staleness: { now, maxAge: policy.maxAgeSeconds, skew: policy.skewToleranceSeconds },
      mutation: cls?.mutation ?? false,
      hardManualCount: cls?.hard_manual.length ?? 0,
      steps,
      stepsNotAllowed: cls === undefined ? 0 : steps.filter((s) => !cls.allowed_actions.includes(s) && !hardManualActions.includes(s)).length,
      hardManualActions,
    });
    return { digest, verdict: verdictOf(events) };
  };
}
