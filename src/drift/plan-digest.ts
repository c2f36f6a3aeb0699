import { createHash } from "node:crypto";
import type { Sha256Digest } from "../integrity/digest.js";
import type { BackupFile, DriftPlan, FileState, PlanFile } from "./plan-schema.js";

export type PlanContent = Omit<DriftPlan, "digest">;

/**
 * A plan's own digest: sha256 of the canonical JSON (`canonicalJson` from src/integrity) of the
 * plan without its `digest` key. It pins the plan an operator accepts. It is not a signature:
 * anyone can recompute it, so the gate also re-judges every file against its own policy rather
 * than trusting the plan's labels.
 */
export function planDigest(plan: PlanContent): Sha256Digest {
  return `sha256:${createHash("sha256").update(canonicalPlanJson(plan)).digest("hex")}`;
}

/**
 * The plan's canonical JSON, written field by field with the keys already in code-unit order.
 * The gate verifies a digest on every evaluation of a bundle holding a plan, and the generic
 * serializer's per-object sorting was most of that cost; test/drift/plan-digest.test.ts holds
 * the two to identical output. Only for plans that passed `driftPlanSchema` (no other keys).
 */
export function canonicalPlanJson(p: PlanContent): string {
  const c = p.counts;
  const b = p.prechecks.backup;
  const l = p.prechecks.deploy_lock;
  const r = p.prechecks.remote_unchanged;
  return (
    `{"counts":{"added":${c.added},"changed":${c.changed},"removed":${c.removed},"unchanged":${c.unchanged}}` +
    `,"drift":${p.drift},"executor":${str(p.executor)},"files":${list(p.files, planFile)},"finding":${str(p.finding)}` +
    `,"hard_manual":${list(p.hard_manual, safe)},"local":${manifestRef(p.local)},"mode":${safe(p.mode)},"planned_at":${safe(p.planned_at)}` +
    `,"policy":{"digest":${safe(p.policy.digest)},"name":${str(p.policy.name)}},"postchecks":${list(p.postchecks, str)}` +
    `,"prechecks":{"backup":{"description":${str(b.description)},"files":${list(b.files, backupFile)},"location":${str(b.location)}}` +
    `,"deploy_lock":{"description":${str(l.description)},"lock":${str(l.lock)},"must_be":${safe(l.must_be)}}` +
    `,"remote_unchanged":{"description":${str(r.description)},"digest":${safe(r.digest)}}}` +
    `,"receipt_fields":${list(p.receipt_fields, (f) => `{"field":${safe(f.field)},"records":${str(f.records)}}`)}` +
    `,"remote":${manifestRef(p.remote)},"risk":${safe(p.risk)},"schema":${safe(p.schema)},"summary":${str(p.summary)}` +
    `,"superseded_source":${safe(p.superseded_source)}}`
  );
}

function planFile(f: PlanFile): string {
  return `{"change":${safe(f.change)},"differs":${list(f.differs, safe)},"hard_manual":${nullable(f.hard_manual, safe)},"local":${nullable(f.local, fileState)},"path":${str(f.path)},"remote":${nullable(f.remote, fileState)},"risk":${safe(f.risk)},"risk_note":${str(f.risk_note)},"rule":${nullable(f.rule, str)},"target":${nullable(f.target, str)}}`;
}

function fileState(s: FileState): string {
  return `{${s.link === undefined ? "" : `"link":${str(s.link)},`}"mode":${safe(s.mode)},"sha256":${safe(s.sha256)},"size":${s.size},"type":${safe(s.type)}}`;
}

function backupFile(f: BackupFile): string {
  return `{"mode":${safe(f.mode)},"path":${str(f.path)},"sha256":${safe(f.sha256)},"size":${f.size},"target":${nullable(f.target, str)},"type":${safe(f.type)}}`;
}

function manifestRef(m: PlanContent["local"]): string {
  return `{"digest":${safe(m.digest)},"files":${m.files},"generated_at":${safe(m.generated_at)},"host":${str(m.host)},"ignore":${list(m.ignore, str)},"root":${str(m.root)}}`;
}

function list<T>(items: readonly T[], write: (item: T) => string): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + write(items[i]!);
  return `${out}]`;
}

function nullable<T>(value: T | null, write: (value: T) => string): string {
  return value === null ? "null" : write(value);
}

// What JSON.stringify would escape (quotes, backslashes, control characters, lone surrogates);
// most plan text has none, and a template is cheaper than a call into JSON.stringify.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (text: string): string => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);
// Enumerations, literals, digests, modes, class names and timestamps: the schema's patterns admit
// no character JSON escapes, so they skip the test.
const safe = (text: string): string => `"${text}"`;
