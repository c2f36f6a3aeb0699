// Deterministic benchmark bundles: a typical one (ten evidence items, a few KB), one of about
// 1 MB (the same items, runtime truth carrying a large unit/probe inventory), and variants that
// exercise each rule, used to show the json-rules-engine versions judge like Patchwarden does.
import { readFileSync } from "node:fs";

const NOW = Date.parse("2026-11-21T12:00:00Z");
/** A real low-risk drift plan (docs behind on the host), so the drift inspector does its full work. */
const DRIFT_PLAN = JSON.parse(readFileSync(new URL("../fixtures/drift/docs-behind.bundle.json", import.meta.url), "utf8")).evidence.find((item) => item.kind === "deploy-drift-probe").data;
export const BENCH_NOW = NOW;

const iso = (minutesAgo) => new Date(NOW - minutesAgo * 60_000).toISOString();

function items(extraUnits) {
  const units = Array.from({ length: extraUnits }, (_, i) => ({
    unit: `openclaw-worker-${i}.service`,
    active: "active",
    sub: "running",
    since: iso(600 + (i % 50)),
    restarts: i % 3,
    memory_bytes: 50_000_000 + i * 1024,
    probe: { ok: true, latency_ms: 12 + (i % 9), checked_at: iso(5) },
  }));
  return [
    { kind: "runtime-truth-report", subject: "openclaw-gateway", generated_at: iso(5), status: "pass", summary: "gateway active, health ok", data: { version: "2026.11.2", unit: { name: "openclaw-gateway.service", active: "active" }, health: { ok: true, channels: { signal: { probe: { ok: true } }, matrix: { probe: { ok: true } } } }, units } },
    { kind: "runtime-truth-report", subject: "signal-cli", generated_at: iso(6), status: "pass", data: { version: "0.13.9", linked: true } },
    { kind: "autoheal-dashboard", subject: "iskra", generated_at: iso(3), status: "pass", data: { open_incidents: 0, last_autoheal: iso(180), checks: [{ id: "disk", ok: true }, { id: "memory", ok: true }, { id: "gateway-ready", ok: true }] } },
    { kind: "autoheal-dashboard", subject: "host", generated_at: iso(3), status: "pass", data: { load: [0.21, 0.3, 0.28], disk_free_pct: 61 } },
    { kind: "openclaw-upgrade-simulator", subject: "core", generated_at: iso(50), status: "pass", data: { from: "2026.11.2", to: "2026.11.3", changed_packages: 1 } },
    { kind: "incident-packet", subject: "gateway-latency", generated_at: iso(40), status: "pass", data: { opened_at: iso(45), symptom: "slow replies for 3 minutes", resolved: true } },
    { kind: "remediation-proposal", subject: "diagnostics", generated_at: iso(20), status: "pass", data: { proposal: "collect doctor lint and health output", author: "iskra" } },
    { kind: "supervised-repair-plan", subject: "diagnostics", generated_at: iso(20), status: "pass", data: { steps: ["doctor.lint", "health.probe"], postchecks: [] } },
    { kind: "safe-update-dry-run", subject: "none", generated_at: iso(60), status: "pass", data: { verdict: "ready_for_operator_plan", operator_approval: false } },
    { kind: "deploy-drift-probe", subject: "iskra-openclaw", generated_at: iso(10), status: "pass", data: DRIFT_PLAN },
  ];
}

function bundle(extraUnits) {
  return {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: iso(1),
    producer: { name: "iskra-autoheal", version: "0.9.0", host: "iskra" },
    candidate: { repair_class: "runtime_diagnostics", summary: "Collect read-only diagnostics after slow replies", target: { host: "iskra", service: "openclaw-gateway.service" }, plan: { steps: [{ action: "doctor.lint" }, { action: "health.probe" }] } },
    evidence: items(extraUnits),
  };
}

const encode = (value) => Buffer.from(JSON.stringify(value, null, 2));

export const typicalBundle = encode(bundle(0));

/** For context only: the typical bundle without its drift plan item (nine items), what a runtime repair without a deploy carries. */
export const typicalWithoutPlanBundle = (() => {
  const value = bundle(0);
  value.evidence = value.evidence.filter((item) => item.kind !== "deploy-drift-probe");
  return encode(value);
})();

/** Grows the unit inventory until the document is about 1 MB. */
export const megabyteBundle = (() => {
  let units = 3000;
  let bytes = encode(bundle(units));
  units = Math.round((units * 1024 * 1024) / bytes.length);
  bytes = encode(bundle(units));
  return bytes;
})();

/** One change each, so every rule fires somewhere; the rule engines must agree on all of them. */
export const variantBundles = (() => {
  const variant = (name, edit) => {
    const b = bundle(0);
    edit(b);
    return [name, encode(b)];
  };
  return [
    variant("warn", (b) => (b.evidence[1].status = "warn")),
    variant("fail", (b) => (b.evidence[3].status = "fail")),
    variant("unknown", (b) => (b.evidence[4].status = "unknown")),
    variant("stale", (b) => (b.evidence[2].generated_at = iso(45))),
    variant("expired", (b) => (b.evidence[0].expires_at = iso(1))),
    variant("future", (b) => (b.evidence[0].generated_at = iso(-10))),
    variant("contradiction", (b) => b.evidence.push({ ...b.evidence[1], status: "warn" })),
    variant("missing", (b) => (b.evidence = b.evidence.filter((i) => i.kind !== "autoheal-dashboard"))),
    variant("unknown-class", (b) => (b.candidate.repair_class = "runtime_diagnostic")),
    variant("mutating-class", (b) => (b.candidate.repair_class = "gateway_restart")),
    variant("hard-manual-step", (b) => b.candidate.plan.steps.push({ action: "service.restart" })),
    variant("step-not-allowed", (b) => b.candidate.plan.steps.push({ action: "files.chmod" })),
    variant("approval-claim", (b) => (b.evidence[0].data.health.operator_approval = true)),
    variant("approver-claim", (b) => (b.evidence[5].data.approved_by = "piotr")),
  ];
})();
