import { dirname, resolve } from "node:path";
import { formatDiagnostic, quote } from "../../diagnostics/diagnostic.js";
import { formatBytes, parseDocument } from "../../document/parse-document.js";
import { DEFAULT_LIMITS } from "../../evidence/artifact-bytes.js";
import { BUNDLE_SCHEMA_ID, type EvidenceBundle } from "../../evidence/bundle-schema.js";
import { MAX_PATH_LENGTH } from "../../drift/manifest-path.js";
import { MAX_MANIFEST_BYTES, type Manifest } from "../../drift/manifest-schema.js";
import { buildPlan, ManifestConflictError, type PlanInput } from "../../drift/plan.js";
import { addPlanToBundle, DRIFT_EVIDENCE_KIND, planBundle, planEvidenceItem } from "../../drift/plan-item.js";
import type { DriftPlan } from "../../drift/plan-schema.js";
import { readManifest } from "../../drift/read-manifest.js";
import { renderPlanMarkdown } from "../../drift/render-plan-markdown.js";
import type { Policy } from "../../policy/policy.js";
import { formatDuration } from "../../time/duration.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { Command, CommandContext } from "../command.js";
import { ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { choiceOption, nowOption, requiredOption, stringOption } from "../options.js";
import { loadPolicy } from "../policy-option.js";
import { echo } from "../user-paths.js";
import { packageVersion } from "../version.js";
import { invalidInput, outPath, readInput, realPathOrNull, writeDestination, writeOutput } from "./drift-output.js";

const FORMATS = ["json", "markdown", "item", "bundle"] as const;

export const driftPlan: Command = {
  name: "drift plan",
  summary: "compare two deploy manifests and propose a drift plan (proposal only; never deploys)",
  usage: "patchwarden drift plan --local FILE --remote FILE [--policy PATH] [--now ISO] [--format json|markdown|item|bundle] [--into BUNDLE] [--out FILE]",
  help: `Compares the repository's manifest (--local) with the host's (--remote), both written by
\`patchwarden drift manifest\`, and proposes a deploy-drift plan: the changed, added and removed
files with their digests, target paths on the host and risk (from the policy's [drift] section),
the canonical runbook that would carry it out, the prechecks (a free deploy lock, a backup of
every file to be overwritten or removed) and postchecks, and the fields an apply receipt must
record. \`mode: proposal_only\`: Patchwarden copies, syncs, deploys and restarts nothing.

  --local FILE     the manifest of what should be deployed (the repository's tree)
  --remote FILE    the manifest of what is on the host
  --policy PATH    policy TOML with a [drift] section (default: $PATCHWARDEN_POLICY, \`policy\` in
                   the $PATCHWARDEN_CONFIG file, else the shipped
                   policies/iskra-openclaw.v0.toml)
  --now ISO        the plan's time (default: the clock), e.g. 2026-11-21T12:00:00Z
  --format F       json (default: the plan object), markdown (for the operator), item (the
                   deploy-drift-probe evidence item), or bundle (a whole evidence bundle with
                   candidate deploy_drift_probe, for \`patchwarden runtime-repair-check\`)
  --into BUNDLE    add the plan as evidence to BUNDLE (a patchwarden.evidence_bundle.v1 that
                   Iskra wrote with its runtime truth) and print that bundle; implies bundle output
  --out FILE       write the output to FILE (default: stdout); not one of the input files

Exit status: 0 the plan was made (drift or not: read \`drift\` in the output), 2 it could not be
made (unreadable or invalid manifest, bundle or policy, two manifests that record one digest
with two sizes, bad flags).`,
  options: {
    local: { type: "string" },
    remote: { type: "string" },
    policy: { type: "string" },
    now: { type: "string" },
    format: { type: "string" },
    into: { type: "string" },
    out: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const localPath = resolve(context.io.cwd, requiredOption(context, "local", "repo.manifest.json"));
    const remotePath = resolve(context.io.cwd, requiredOption(context, "remote", "iskra.manifest.json"));
    const into = stringOption(context, "into");
    const format = choiceOption(context, "format", FORMATS, into === undefined ? "json" : "bundle");
    if (into !== undefined && format !== "bundle") throw new UsageError(`--into writes a bundle; drop \`--format ${format}\` or use \`--format bundle\``);
    await refuseOutOverInput(context, { "--local": localPath, "--remote": remotePath, ...(into === undefined ? {} : { "--into": resolve(context.io.cwd, into) }) });
    const now = nowOption(context);
    const policy = await loadPolicy(context);
    if (policy.drift === null) throw new ConfigError(`policy \`${policy.name}\` has no [drift] section, so files cannot be classified; add one (see docs/policy-reference.md)`);
    const local = await loadManifest("--local", localPath);
    const remote = await loadManifest("--remote", remotePath);
    const plan = planOf({ local, remote, rules: policy.drift, policy: { name: policy.name, digest: policy.digest }, now });
    warnIfStale(context, policy, now, { local, remote });
    let text: string;
    if (format === "markdown") text = renderPlanMarkdown(plan);
    else if (format === "json") text = json(plan);
    else if (format === "item") text = json(planEvidenceItem(plan));
    else text = await checkedBundle(into === undefined ? planBundle(plan, now, { name: "patchwarden drift plan", version: packageVersion() }) : await intoBundle(context, resolve(context.io.cwd, into), plan, now), plan);
    await writeOutput(context, text);
    return EXIT.ok;
  },
};

/** The plan replacing one of its own inputs would lose what it was made from. Compared as written and by real paths. */
async function refuseOutOverInput(context: CommandContext, inputs: Record<string, string>): Promise<void> {
  const out = outPath(context);
  if (out === null) return;
  const destination = await writeDestination(out);
  for (const [flag, input] of Object.entries(inputs)) {
    if (out === input || destination === (await realPathOrNull(input))) {
      throw new UsageError(`--out: ${quote(out, MAX_PATH_LENGTH)} is the ${flag} input; write the output to another file`);
    }
  }
}

function planOf(input: PlanInput): DriftPlan {
  try {
    return buildPlan(input);
  } catch (error) {
    if (error instanceof ManifestConflictError) throw new ConfigError(`cannot compare the two manifests, so no plan was made:\n  ${formatDiagnostic(error.diagnostic)}`);
    throw error;
  }
}

async function loadManifest(flag: string, path: string): Promise<Manifest> {
  const read = readManifest(await readInput(flag, path, MAX_MANIFEST_BYTES), path);
  if (!read.ok) throw invalidInput(flag, path, "deploy manifest", read.diagnostics);
  return read.value;
}

async function intoBundle(context: CommandContext, path: string, plan: DriftPlan, now: number): Promise<EvidenceBundle> {
  const parsed = parseDocument(await readInput("--into", path, DEFAULT_LIMITS.maxBundleBytes), { root: "bundle", name: path, maxBytes: DEFAULT_LIMITS.maxBundleBytes });
  if (!parsed.ok) throw invalidInput("--into", path, "evidence bundle", parsed.diagnostics);
  const schema = (parsed.value as { schema?: unknown } | null)?.schema;
  if (schema !== BUNDLE_SCHEMA_ID) throw new ConfigError(`--into: ${echo(path)} has schema ${quote(schema)}; a drift plan is added to a \`${BUNDLE_SCHEMA_ID}\` (a safe-update kit run cannot take one)`);
  const validated = (await loadBundleValidator())(parsed.value);
  if (!validated.ok) throw invalidInput("--into", path, "evidence bundle", validated.diagnostics);
  const added = addPlanToBundle(validated.value, plan, now);
  if (!added.ok) throw new ConfigError(`--into: ${echo(path)}: ${added.problem}`);
  const out = stringOption(context, "out");
  const hasArtifacts = added.bundle.evidence.some((item) => item.artifact !== undefined);
  if (hasArtifacts && (out === undefined || out === "-" || dirname(resolve(context.io.cwd, out)) !== dirname(path))) {
    context.io.stderr(`note: the bundle names artifacts relative to its folder ${echo(dirname(path))}; keep the new bundle beside them, or the gate will find them missing\n`);
  }
  return added.bundle;
}

/** What we print as a bundle must pass the same contract the gate applies, and fit its size limit. */
async function checkedBundle(bundle: EvidenceBundle, plan: DriftPlan): Promise<string> {
  const text = json(bundle);
  const validated = (await loadBundleValidator())(JSON.parse(text));
  if (!validated.ok) throw new Error(`the bundle made for plan ${plan.digest} breaks the bundle contract: ${validated.diagnostics.map((d) => `${d.path}: ${d.message}`).join("; ")}`);
  const bytes = Buffer.byteLength(text);
  if (bytes > DEFAULT_LIMITS.maxBundleBytes) {
    throw new ConfigError(`the bundle would be ${formatBytes(bytes)}, over the gate's ${formatBytes(DEFAULT_LIMITS.maxBundleBytes)} limit for a bundle: the plan lists ${plan.files.length} differing files; a drift this large is the operator's to read directly (\`--format markdown\` or \`json\`)`);
  }
  return text;
}

/** The gate judges a plan by its older manifest; say so now rather than at the gate. */
function warnIfStale(context: CommandContext, policy: Policy, now: number, manifests: { local: Manifest; remote: Manifest }): void {
  const maxAge = policy.maxAgeSeconds[DRIFT_EVIDENCE_KIND];
  for (const [side, manifest] of Object.entries(manifests)) {
    const age = (now - (parseIsoTime(manifest.generated_at) ?? Number.NEGATIVE_INFINITY)) / 1000;
    if (age > maxAge) context.io.stderr(`note: the ${side} manifest was taken ${formatDuration(age)} ago, over the policy's ${formatDuration(maxAge)} maximum for \`${DRIFT_EVIDENCE_KIND}\`; the gate will block this plan, so take a fresh manifest\n`);
  }
}

// The bundle contract compiles a JSON Schema validator; only the bundle formats need it, so the
// plain plan does not pay for loading it.
async function loadBundleValidator(): Promise<typeof import("../../evidence/validate-bundle.js").validateBundle> {
  return (await import("../../evidence/validate-bundle.js")).validateBundle;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
