import { quote } from "../../diagnostics/diagnostic.js";
import { validateWith } from "../../diagnostics/zod-diagnostics.js";
import { isRecord } from "../../document/is-record.js";
import { parseDocument } from "../../document/parse-document.js";
import { canonicalJson } from "../../integrity/canonical-json.js";
import { normalizeDigest, sha256Digest, type Sha256Digest } from "../../integrity/digest.js";
import type { ArtifactBytes, BundleLimits } from "../artifact-bytes.js";
import { BUNDLE_SCHEMA_ID, type EvidenceBundle, type EvidenceItem } from "../bundle-schema.js";
import type { ArtifactCheck, InputFinding } from "../evaluation-input.js";
import type { EvidenceStatus } from "../kinds.js";
import { KIT_ARTIFACTS, KIT_BUNDLE_SUBJECT, KIT_UNKNOWN_SUBJECT_PREFIX, KIT_VERDICT_SUBJECT } from "./artifact-map.js";
import { KIT_BUNDLE_FILE, KIT_VERDICT_FILE, kitArtifactSchema, kitStatusSchema, type KitBundle, type KitStatus } from "./kit-schemas.js";

export interface TranslatedRun {
  bundle: EvidenceBundle;
  findings: InputFinding[];
  artifacts: ArtifactCheck[];
}

/**
 * Reads a safe-update kit run as Patchwarden evidence. The kit's failures and its no-approval
 * state are preserved: `blocked` stays a failure, and its approval fields grant nothing (they are
 * judged like any evidence claiming approval). Pure: the caller brings every file's bytes.
 */
export function translateKitRun(kit: KitBundle, kitDigest: Sha256Digest, files: ReadonlyMap<string, ArtifactBytes>, limits: BundleLimits): TranslatedRun {
  const findings: InputFinding[] = [];
  const artifacts: ArtifactCheck[] = [];
  const evidence: EvidenceItem[] = [];
  const listedStatus = new Map<string, string>();

  kit.evidence.forEach((entry, listIndex) => {
    const listPath = `bundle.evidence[${listIndex}]`;
    if (listedStatus.has(entry.path)) {
      findings.push({ code: "producer_record_inconsistent", path: `${listPath}.path`, message: `artifact ${quote(entry.path)} is listed twice; the kit lists each artifact once, so this bundle was edited by hand` });
      return;
    }
    listedStatus.set(entry.path, entry.status);
    const mapping = KIT_ARTIFACTS.get(entry.path);
    const index = evidence.length;
    const declared = normalizeDigest(entry.sha256)!;
    const file = files.get(entry.path);
    const check: ArtifactCheck = { evidenceIndex: index, path: entry.path, declared, observed: null };
    if (file === undefined || !file.ok) check.problem = file?.problem ?? "not provided";
    else check.observed = sha256Digest(file.bytes);
    artifacts.push(check);
    if (mapping === undefined) {
      findings.push({ code: "producer_artifact_unknown", path: `${listPath}.path`, message: `the kit lists artifact ${quote(entry.path)}, which this gate does not know how to judge; a human must read it` });
      evidence.push(unknownArtifactItem(kit, entry, declared));
      return;
    }
    const artifact = file?.ok === true ? readArtifact(entry.path, file.bytes, limits, findings, index) : null;

    const parsed = artifact === null ? null : validateWith(kitArtifactSchema, artifact, entry.path);
    if (parsed && !parsed.ok) {
      for (const d of parsed.diagnostics) findings.push({ code: "bundle_invalid", path: d.path, message: d.message, evidenceIndex: index });
    }
    const fields = parsed?.ok ? parsed.value : null;
    if (fields && fields.schema !== mapping.schema) {
      findings.push({ code: "producer_record_inconsistent", path: `${entry.path}.schema`, message: `${quote(entry.path)} says schema ${quote(fields.schema)}, but the kit writes \`${mapping.schema}\` to that file`, evidenceIndex: index });
    }
    if (fields?.status !== undefined && fields.status !== entry.status) {
      findings.push({ code: "producer_record_inconsistent", path: `${entry.path}.status`, message: `${quote(entry.path)} says status ${quote(fields.status)}, but the bundle lists it as ${quote(entry.status)}`, evidenceIndex: index });
    }
    let status = kitStatus(entry.status, fields?.status, fields?.errors ?? []);
    let summary = describeKitStatus(entry.path, entry.status, fields?.errors ?? []);
    if (entry.path === "installation-attestation.json" && artifact !== null) {
      const attestation = checkAttestation(artifact, entry.path, findings, index);
      if (status === "pass" && attestation !== null) {
        status = "warn";
        summary = attestation;
      }
    }

    const item: EvidenceItem = {
      id: entry.path,
      kind: mapping.kind,
      subject: mapping.subject,
      generated_at: fields?.generated_at ?? kit.generated_at,
      status,
      summary,
      artifact: entry.path,
      sha256: declared,
      data: artifact ?? {},
    };
    if (fields?.expires_at !== undefined) item.expires_at = fields.expires_at;
    evidence.push(item);
  });

  evidence.push(verdictItem(kit, kitDigest, files, listedStatus, limits, findings, evidence.length));
  evidence.push(kitBundleItem(kit));

  const bundle: EvidenceBundle = {
    schema: BUNDLE_SCHEMA_ID,
    generated_at: kit.generated_at,
    producer: { name: "openclaw-safe-update" },
    candidate: {
      repair_class: kit.repair_class,
      summary: upgradeSummary(evidence),
      target: { service: "openclaw" },
    },
    evidence,
  };
  return { bundle, findings, artifacts };
}

/**
 * An artifact the gate cannot interpret still stands for what the kit says of it: its listed status
 * (a `failed` one blocks) and its digest (checked like any other). Its content is not read; the
 * `producer_artifact_unknown` hold leaves that to a human.
 */
function unknownArtifactItem(kit: KitBundle, entry: { path: string; status: string }, declared: Sha256Digest): EvidenceItem {
  return {
    id: entry.path,
    kind: "safe-update-dry-run",
    subject: `${KIT_UNKNOWN_SUBJECT_PREFIX}${entry.path}`,
    generated_at: kit.generated_at,
    status: kitStatus(entry.status, undefined, []),
    summary: `${describeKitStatus(entry.path, entry.status, [])}; the gate does not know this artifact, so a human must read it`,
    artifact: entry.path,
    sha256: declared,
    data: {},
  };
}

function verdictItem(
  kit: KitBundle,
  kitDigest: Sha256Digest,
  files: ReadonlyMap<string, ArtifactBytes>,
  listedStatus: ReadonlyMap<string, string>,
  limits: BundleLimits,
  findings: InputFinding[],
  index: number,
): EvidenceItem {
  const base = { id: KIT_VERDICT_FILE, kind: "safe-update-dry-run" as const, subject: KIT_VERDICT_SUBJECT, generated_at: kit.generated_at };
  const file = files.get(KIT_VERDICT_FILE);
  if (file === undefined || !file.ok) {
    findings.push({ code: "artifact_missing", path: KIT_VERDICT_FILE, message: `the kit's authoritative status \`${KIT_VERDICT_FILE}\` could not be read (${file?.problem ?? "not provided"}); the run is incomplete, so re-run the kit`, evidenceIndex: index });
    return { ...base, status: "unknown", summary: "the kit's verdict.json is missing", data: {} };
  }
  const raw = readArtifact(KIT_VERDICT_FILE, file.bytes, limits, findings, index);
  const parsed = raw === null ? null : validateWith(kitStatusSchema, raw, KIT_VERDICT_FILE);
  if (parsed === null || !parsed.ok) {
    for (const d of parsed?.diagnostics ?? []) findings.push({ code: "bundle_invalid", path: d.path, message: d.message, evidenceIndex: index });
    return { ...base, status: "unknown", summary: "the kit's verdict.json is unreadable", data: raw ?? {} };
  }
  const status = parsed.value;
  checkStatusAgainstBundle(status, kit, kitDigest, listedStatus, findings, index);
  const gate = status.decision_content.gate_decision;
  findings.push({
    code: "producer_gate_handling",
    path: `${KIT_VERDICT_FILE}.decision_content.gate_decision`,
    message: `the safe-update kit says ${quote(status.verdict)} (${quote(status.decision_content.reason_code)}) with ${quote(gate.handling)} handling; required gates: ${gate.required_gates.map((g) => quote(g)).join(", ") || "none"}; next step: ${quote(status.next_step ?? status.decision_content.next_step_code ?? "none", 200)}`,
    evidenceIndex: index,
  });
  return {
    ...base,
    generated_at: status.generated_at,
    status: status.verdict === "ready_for_operator_plan" ? "pass" : "fail",
    summary:
      status.verdict === "blocked"
        ? `the kit's verdict is blocked (${status.decision_content.reason_code}${status.reason ? `: ${status.reason}` : ""}); the gate never upgrades it`
        : `the kit's verdict is ready_for_operator_plan (${status.decision_content.reason_code})`,
    data: raw!,
  };
}

/**
 * evidence-bundle.json as an item of its own, so the fields the kit writes there (at its top level
 * `operator_approval` and `production_apply_allowed`, and any a producer adds) are read for
 * approval claims like any evidence. Its verdict and statuses are judged against verdict.json
 * above, so the item itself passes: it adds claims, never a green light.
 */
function kitBundleItem(kit: KitBundle): EvidenceItem {
  return {
    id: KIT_BUNDLE_FILE,
    kind: "safe-update-dry-run",
    subject: KIT_BUNDLE_SUBJECT,
    generated_at: kit.generated_at,
    status: "pass",
    summary: `the kit's ${KIT_BUNDLE_FILE}, read for approval claims; its verdict is judged through ${KIT_VERDICT_FILE}`,
    data: { ...kit },
  };
}

function checkStatusAgainstBundle(
  status: KitStatus,
  kit: KitBundle,
  kitDigest: Sha256Digest,
  listedStatus: ReadonlyMap<string, string>,
  findings: InputFinding[],
  index: number,
): void {
  const inconsistent = (path: string, message: string) => findings.push({ code: "producer_record_inconsistent", path, message, evidenceIndex: index });
  if (normalizeDigest(status.evidence_bundle.sha256) !== kitDigest) {
    findings.push({
      code: "bundle_digest_mismatch",
      path: `${KIT_VERDICT_FILE}.evidence_bundle.sha256`,
      message: `verdict.json pins evidence-bundle.json at sha256:${status.evidence_bundle.sha256}, but the bundle read hashes to ${kitDigest}; the bundle changed after the kit judged it`,
      evidenceIndex: index,
    });
  }
  if (status.verdict !== kit.verdict || status.decision_content.verdict !== status.verdict) {
    inconsistent(`${KIT_VERDICT_FILE}.verdict`, `verdict.json says ${quote(status.verdict)} (decision content ${quote(status.decision_content.verdict)}) but evidence-bundle.json says ${quote(kit.verdict)}; the run's records disagree`);
  }
  const recomputed = sha256Digest(canonicalJson(status.decision_content));
  if (recomputed !== status.decision_digest) {
    inconsistent(`${KIT_VERDICT_FILE}.decision_digest`, `the decision content hashes to ${recomputed}, not the recorded ${status.decision_digest}; the decision was edited after the kit wrote it`);
  }
  for (const [path, listed] of listedStatus) {
    const mapping = KIT_ARTIFACTS.get(path);
    if (mapping === undefined) continue;
    const decided = status.decision_content.evidence_status[mapping.statusKey];
    if (decided !== listed) {
      inconsistent(`${KIT_VERDICT_FILE}.decision_content.evidence_status.${mapping.statusKey}`, `verdict.json records ${quote(path)} as ${quote(decided ?? "absent")}, but the bundle lists it as ${quote(listed)}`);
    }
  }
}

/**
 * An attestation that is `success` yet not fresh and complete is a warning, whatever its status
 * says. Its content, digest and axes are all required: without them nothing about it can be
 * checked, and a missing digest must never judge better than a wrong one.
 */
function checkAttestation(artifact: Record<string, unknown>, path: string, findings: InputFinding[], index: number): string | null {
  const inconsistent = (field: string, message: string) => findings.push({ code: "producer_record_inconsistent", path: `${path}.${field}`, message, evidenceIndex: index });
  const content = artifact["attestation_content"];
  const digest = artifact["attestation_digest"];
  const axes = artifact["axes"];
  if (!isRecord(content)) inconsistent("attestation_content", `expected the attested content as an object, found ${quote(content)}; the kit always writes it, so this attestation was edited or cut short: re-run the kit`);
  if (typeof digest !== "string") inconsistent("attestation_digest", `expected the attestation's digest as a string, found ${quote(digest)}; the kit always writes it, so this attestation was edited or cut short: re-run the kit`);
  if (!isRecord(axes)) inconsistent("axes", `expected the attestation's axes as an object, found ${quote(axes)}; the kit always writes them, so this attestation was edited or cut short: re-run the kit`);
  if (isRecord(content) && typeof digest === "string") {
    const recomputed = sha256Digest(canonicalJson(content));
    if (recomputed !== digest) {
      inconsistent("attestation_digest", `the attestation content hashes to ${recomputed}, not the recorded ${digest}; the attestation was edited after it was written`);
    }
  }
  if (!isRecord(axes)) return "installation attestation has no axes";
  if (axes["freshness"] !== "fresh" || axes["completeness"] !== "complete" || axes["observation"] !== "success") {
    return `installation attestation axes are freshness ${quote(axes["freshness"])}, completeness ${quote(axes["completeness"])}, observation ${quote(axes["observation"])}`;
  }
  return null;
}

function readArtifact(path: string, bytes: Uint8Array, limits: BundleLimits, findings: InputFinding[], index: number): Record<string, unknown> | null {
  const parsed = parseDocument(bytes, { root: path, name: path, maxBytes: limits.maxArtifactBytes });
  if (!parsed.ok) {
    const code = parsed.problem === "too_large" ? "bundle_too_large" : "bundle_malformed";
    for (const d of parsed.diagnostics) findings.push({ code, path: d.path, message: d.message, evidenceIndex: index });
    return null;
  }
  if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
    findings.push({ code: "bundle_invalid", path, message: "expected a JSON object; the kit writes one object per artifact", evidenceIndex: index });
    return null;
  }
  return parsed.value as Record<string, unknown>;
}

// The kit's own words for a failure; neither is ever read as anything better.
const KIT_FAILURES = new Set(["failed", "blocked"]);

function kitStatus(listed: string, own: string | undefined, errors: readonly unknown[]): EvidenceStatus {
  if (KIT_FAILURES.has(listed) || (own !== undefined && KIT_FAILURES.has(own))) return "fail";
  if (listed !== "success" || (own !== undefined && own !== "success")) return "unknown";
  return errors.length > 0 ? "warn" : "pass";
}

function describeKitStatus(path: string, listed: string, errors: readonly unknown[]): string {
  const errorText = errors.length > 0 ? `; errors: ${errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("; ")}` : "";
  return `kit artifact ${path} is ${listed}${errorText}`;
}

function upgradeSummary(evidence: readonly EvidenceItem[]): string {
  const truth = evidence.find((item) => item.id === "runtime-truth.json")?.data;
  const from = truth?.["current_version"];
  const to = truth?.["target_version"];
  return typeof from === "string" && typeof to === "string"
    ? `OpenClaw upgrade ${from} → ${to}, rehearsed read-only by the safe-update kit`
    : "OpenClaw upgrade rehearsed read-only by the safe-update kit";
}
