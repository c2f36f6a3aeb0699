import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { quote } from "../diagnostics/diagnostic.js";
import { isRecord } from "../document/is-record.js";
import { describeNonObjectRoot, parseDocument } from "../document/parse-document.js";
import { normalizeDigest, sha256Digest, type Sha256Digest } from "../integrity/digest.js";
import type { ArtifactBytes, BundleLimits } from "./artifact-bytes.js";
import { BUNDLE_SCHEMA_ID, type EvidenceBundle } from "./bundle-schema.js";
import { validateBundle } from "./validate-bundle.js";
import type { ArtifactCheck, BundleFormat, EvaluationInput, InputFinding } from "./evaluation-input.js";
import { KIT_BUNDLE_SCHEMA_ID, KIT_VERDICT_FILE, kitBundleSchema, type KitBundle } from "./safe-update/kit-schemas.js";
import { translateKitRun } from "./safe-update/translate-run.js";

/** A bundle document parsed and validated, before its artifacts are read. */
export interface OpenedBundle {
  format: BundleFormat;
  digest: Sha256Digest;
  findings: InputFinding[];
  native: EvidenceBundle | null;
  kit: KitBundle | null;
  /** Files beside the bundle that the caller must read (validated relative paths, each once). */
  artifactPaths: string[];
}

/**
 * Stage 1 of 2, pure: bundle bytes → what kind of bundle it is and which artifacts it needs.
 * `name` is the file or attachment name (it picks JSON or YAML by extension).
 */
export function openBundle(name: string, bytes: Uint8Array, limits: BundleLimits): OpenedBundle {
  const digest = sha256Digest(bytes);
  const opened: OpenedBundle = { format: "unrecognised", digest, findings: [], native: null, kit: null, artifactPaths: [] };
  const parsed = parseDocument(bytes, { root: "bundle", name, maxBytes: limits.maxBundleBytes });
  if (!parsed.ok) {
    const code = parsed.problem === "too_large" ? "bundle_too_large" : "bundle_malformed";
    opened.findings = parsed.diagnostics.map((d) => ({ code, path: d.path, message: d.message }));
    return opened;
  }
  if (!isRecord(parsed.value)) {
    opened.findings = [{ code: "bundle_invalid", path: "bundle", message: `expected an object, got ${describeNonObjectRoot(parsed.value)}; a bundle is one JSON or YAML object whose \`schema\` names its contract` }];
    return opened;
  }
  const schema = schemaOf(parsed.value);
  if (schema === KIT_BUNDLE_SCHEMA_ID) {
    opened.format = KIT_BUNDLE_SCHEMA_ID;
    const validated = validateWith(kitBundleSchema, parsed.value, "bundle");
    if (!validated.ok) {
      opened.findings = validated.diagnostics.map((d) => ({ code: "bundle_invalid", path: d.path, message: d.message }));
      return opened;
    }
    opened.kit = validated.value;
    opened.artifactPaths = unique([...validated.value.evidence.map((entry) => entry.path), KIT_VERDICT_FILE]);
    return opened;
  }
  if (schema !== BUNDLE_SCHEMA_ID && schema !== undefined) {
    opened.findings = [{ code: "bundle_invalid", path: "bundle.schema", message: `unknown bundle schema ${quote(schema)}; expected \`${BUNDLE_SCHEMA_ID}\` or \`${KIT_BUNDLE_SCHEMA_ID}\`` }];
    return opened;
  }
  opened.format = BUNDLE_SCHEMA_ID;
  const validated = validateBundle(parsed.value);
  if (!validated.ok) {
    opened.findings = validated.diagnostics.map((d) => ({ code: "bundle_invalid", path: d.path, message: d.message }));
    return opened;
  }
  opened.native = validated.value;
  opened.artifactPaths = artifactPathsOf(validated.value);
  return opened;
}

/** Stage 2 of 2, pure: the opened bundle plus whatever the caller could read of its artifacts. */
export function assembleInput(opened: OpenedBundle, artifacts: ReadonlyMap<string, ArtifactBytes>, limits: BundleLimits): EvaluationInput {
  const base = { format: opened.format, digest: opened.digest };
  if (opened.kit !== null) {
    const run = translateKitRun(opened.kit, opened.digest, artifacts, limits);
    return { ...base, bundle: run.bundle, findings: [...opened.findings, ...run.findings], artifacts: run.artifacts };
  }
  if (opened.native === null) return { ...base, bundle: null, findings: opened.findings, artifacts: [] };
  const checks: ArtifactCheck[] = [];
  const evidence = opened.native.evidence;
  for (let evidenceIndex = 0; evidenceIndex < evidence.length; evidenceIndex++) {
    const item = evidence[evidenceIndex]!;
    if (item.artifact === undefined || item.sha256 === undefined) continue;
    const file = artifacts.get(item.artifact);
    const check: ArtifactCheck = { evidenceIndex, path: item.artifact, declared: normalizeDigest(item.sha256)!, observed: null };
    if (file?.ok) check.observed = sha256Digest(file.bytes);
    else check.problem = file?.problem ?? "not provided";
    checks.push(check);
  }
  return { format: opened.format, digest: opened.digest, bundle: opened.native, findings: opened.findings, artifacts: checks };
}

function schemaOf(value: Record<string, unknown>): string | undefined {
  const schema = value["schema"];
  return typeof schema === "string" ? schema : undefined;
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

function artifactPathsOf(bundle: EvidenceBundle): string[] {
  const paths: string[] = [];
  for (const item of bundle.evidence) if (item.artifact !== undefined && !paths.includes(item.artifact)) paths.push(item.artifact);
  return paths;
}
