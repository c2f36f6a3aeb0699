import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { isoTime } from "../evidence/bundle-schema.js";
import { DRIFT_RISK_LEVELS } from "./drift-policy-schema.js";
import { RISK_RANK } from "./drift-rules.js";
import { sha256Digest } from "../integrity/digest.js";
import { comparePaths, linkTextProblem } from "./manifest-path.js";
import { fileMode, manifestDigestText, manifestHost, manifestPath, manifestRoot } from "./manifest-schema.js";

export const PLAN_SCHEMA_ID = "patchwarden.deploy_drift_plan.v1";
/** The fast deployer the operator refused; its knowledge lives on here as a read-only lane. */
export const SUPERSEDED_SOURCE = "pdurlej/iskra-openclaw#142";

/** What an append-only receipt of a future apply must record; the plan carries the list so the contract travels with it. */
export const RECEIPT_FIELDS: ReadonlyArray<{ field: string; records: string }> = [
  { field: "accepted_by", records: "the operator who accepted this plan; no evidence, label, bot or timer can accept for them" },
  { field: "accepted_at", records: "when the operator accepted it (ISO-8601 with an offset)" },
  { field: "plan_digest", records: "this plan's digest: an apply carries out exactly one accepted plan, unedited" },
  { field: "executor", records: "the canonical runbook that carried it out, and its version" },
  { field: "lock", records: "the deploy lock taken, when it was taken and when it was released" },
  { field: "backup_location", records: "where every overwritten or removed file was backed up" },
  { field: "backup_digests", records: "each backed-up file with its digest, equal to the plan's backup list" },
  { field: "applied_files", records: "each file written or removed, with the digest now on the host" },
  { field: "postcheck_results", records: "each postcheck with its result; a skipped check is not a pass" },
  { field: "previous_receipt_digest", records: "the digest of the receipt before this one, so the log is append-only" },
];

export const CHANGES = ["changed", "added", "removed"] as const;
export const ASPECTS = ["type", "content", "mode"] as const;
export const PLAN_RISKS = ["none", ...DRIFT_RISK_LEVELS] as const;
export type PlanRisk = (typeof PLAN_RISKS)[number];

const count = z.number().int().min(0);
const hardManualName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: (issue) => `${quote(issue.input)} is not a hard-manual class name` });

/** One side of a file in the plan: what the manifest recorded. `link` is a symlink's text. */
const fileState = z.strictObject({
  type: z.enum(["file", "symlink"]),
  sha256: manifestDigestText,
  size: count,
  mode: fileMode,
  link: z.string().min(1).optional(),
});

const planFile = z.strictObject({
  path: manifestPath,
  change: z.enum(CHANGES),
  /** For `changed`: what differs. Empty for added and removed files. */
  differs: z.array(z.enum(ASPECTS)),
  target: z.string().min(1).nullable().describe("where the file lands on the host, from the policy's path mapping"),
  local: fileState.nullable(),
  remote: fileState.nullable(),
  risk: z.enum(DRIFT_RISK_LEVELS),
  hard_manual: hardManualName.nullable(),
  rule: z.string().nullable().describe("the glob of the risk rule that matched; null for the policy's default"),
  risk_note: z.string(),
});

const manifestRef = z.strictObject({
  host: manifestHost,
  root: manifestRoot,
  generated_at: isoTime,
  digest: manifestDigestText,
  files: count,
  ignore: z.array(z.string()),
});

const backupFile = z.strictObject({
  path: manifestPath,
  target: z.string().min(1).nullable(),
  type: z.enum(["file", "symlink"]),
  sha256: manifestDigestText,
  size: count,
  mode: fileMode,
});

const receiptField = z.strictObject({ field: z.string().regex(/^[a-z][a-z0-9_]*$/), records: z.string().min(1) });

export const driftPlanShape = z.strictObject({
  schema: z.literal(PLAN_SCHEMA_ID),
  finding: z.literal("deploy_drift_probe"),
  mode: z.literal("proposal_only", { error: (issue) => `expected \`proposal_only\`, got ${quote(issue.input)}; Patchwarden proposes drift plans and never applies them` }),
  superseded_source: z.literal(SUPERSEDED_SOURCE),
  digest: manifestDigestText.describe("sha256 of the canonical JSON of the plan without this key"),
  summary: z.string().min(1),
  planned_at: isoTime,
  drift: z.boolean(),
  risk: z.enum(PLAN_RISKS),
  hard_manual: z.array(hardManualName),
  counts: z.strictObject({ changed: count, added: count, removed: count, unchanged: count }),
  local: manifestRef,
  remote: manifestRef,
  policy: z.strictObject({ name: z.string().min(1), digest: manifestDigestText }),
  executor: z.string().min(1),
  prechecks: z.strictObject({
    deploy_lock: z.strictObject({ lock: z.string().min(1), must_be: z.literal("free"), description: z.string() }),
    backup: z.strictObject({ location: z.string().min(1), files: z.array(backupFile), description: z.string() }),
    remote_unchanged: z.strictObject({ digest: manifestDigestText, description: z.string() }),
  }),
  postchecks: z.array(z.string().min(1)),
  receipt_fields: z.array(receiptField).min(1),
  files: z.array(planFile),
});

/**
 * The plan object: the `data` of a `deploy-drift-probe` evidence item. Beyond its shape, a plan
 * must agree with itself (planConsistencyIssues), so a hand-edited plan is refused even before its
 * digest is checked.
 */
export const driftPlanSchema = driftPlanShape.superRefine((plan, ctx) => {
  for (const { path, message } of planConsistencyIssues(plan)) ctx.addIssue({ code: "custom", path, message });
});


/**
 * The counts, the overall risk and hard-manual classes, the backup list and each side's link
 * follow from a plan's files, and the receipt fields are the contract's own; each disagreement,
 * with its path. Shared by the zod schema and the fast path. A plan's digest is no signature
 * (anyone can recompute it), so what an apply would act on must agree with itself here, and with
 * the gate's policy in the deploy-drift rule.
 */
export function planConsistencyIssues(plan: z.output<typeof driftPlanShape>): Array<{ path: Array<string | number>; message: string }> {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  const issue = (path: Array<string | number>, message: string) => void issues.push({ path, message });
  const counts = { changed: 0, added: 0, removed: 0 };
  const hardManual = new Set<string>();
  let worst: PlanRisk = "none";
  const expectedBackups: Array<{ path: string; target: string | null; state: FileState }> = [];
  plan.files.forEach((file, i) => {
    counts[file.change]++;
    if (i > 0 && comparePaths(plan.files[i - 1]!.path, file.path) >= 0) issue(["files", i, "path"], `${quote(file.path)} is out of order or repeated; a plan lists each path once, sorted`);
    if (worst === "none" || RISK_RANK[file.risk] > RISK_RANK[worst]) worst = file.risk;
    if (file.hard_manual !== null) hardManual.add(file.hard_manual);
    for (const side of ["local", "remote"] as const) {
      const state = file[side];
      if (state !== null) for (const problem of linkProblems(state)) issue(["files", i, side, problem.key], problem.message);
    }
    const sides = file.change === "added" ? [true, false] : file.change === "removed" ? [false, true] : [true, true];
    if ((file.local !== null) !== sides[0] || (file.remote !== null) !== sides[1]) {
      issue(["files", i], `a file that is \`${file.change}\` must have ${sides[0] ? "a" : "no"} local and ${sides[1] ? "a" : "no"} remote side`);
      return;
    }
    const differs = file.local !== null && file.remote !== null ? aspectsThatDiffer(file.local, file.remote) : [];
    if (file.differs.join() !== differs.join()) issue(["files", i, "differs"], `lists ${quote(file.differs.join(", ") || "nothing")}, but the two sides differ in ${quote(differs.join(", ") || "nothing")}`);
    if (file.change === "changed" && differs.length === 0) issue(["files", i], `${quote(file.path)} is listed as changed but both sides are the same`);
    if (file.remote !== null) expectedBackups.push({ path: file.path, target: file.target, state: file.remote });
  });
  for (const change of CHANGES) {
    if (plan.counts[change] !== counts[change]) issue(["counts", change], `says ${plan.counts[change]}, but ${counts[change]} file(s) are listed as ${change}`);
  }
  if (plan.drift !== plan.files.length > 0) issue(["drift"], `says ${plan.drift}, but ${plan.files.length} file(s) differ`);
  // A manifest's digest covers its entries and nothing else, so two trees differ exactly when
  // their digests do: a plan cannot drop every file and still compare two different trees.
  else if (plan.drift !== (plan.local.digest !== plan.remote.digest)) {
    issue(["drift"], plan.drift ? `says true, but both manifests have digest ${quote(plan.local.digest)}, so their entries are the same` : `says false, but the manifests' digests differ (local ${quote(plan.local.digest)}, remote ${quote(plan.remote.digest)}), so their entries do`);
  }
  if (plan.risk !== worst) issue(["risk"], `says ${quote(plan.risk)}, but the riskiest file is ${quote(worst)}`);
  const classes = [...hardManual].sort();
  if (plan.hard_manual.join() !== classes.join()) issue(["hard_manual"], `lists ${quote(plan.hard_manual.join(", ") || "none")}, but the files touch ${quote(classes.join(", ") || "none")}`);
  if (plan.local.files !== plan.counts.unchanged + counts.changed + counts.added) issue(["local", "files"], `says ${plan.local.files}, but unchanged, changed and added files make ${plan.counts.unchanged + counts.changed + counts.added}`);
  if (plan.remote.files !== plan.counts.unchanged + counts.changed + counts.removed) issue(["remote", "files"], `says ${plan.remote.files}, but unchanged, changed and removed files make ${plan.counts.unchanged + counts.changed + counts.removed}`);
  const backups = plan.prechecks.backup.files;
  const backupsAgree =
    backups.length === expectedBackups.length &&
    backups.every((backup, i) => {
      const { path, target, state } = expectedBackups[i]!;
      return backup.path === path && backup.target === target && backup.type === state.type && backup.sha256 === state.sha256 && backup.size === state.size && backup.mode === state.mode;
    });
  if (!backupsAgree) issue(["prechecks", "backup", "files"], "must list every changed and removed file with its target and its current remote type, digest, size and mode, in the plan's order, so rollback is possible");
  const receiptFieldsAgree = plan.receipt_fields.length === RECEIPT_FIELDS.length && plan.receipt_fields.every((f, i) => f.field === RECEIPT_FIELDS[i]!.field && f.records === RECEIPT_FIELDS[i]!.records);
  if (!receiptFieldsAgree) issue(["receipt_fields"], "must be the receipt contract of this plan schema, unchanged: an apply's receipt records exactly these fields");
  if (plan.prechecks.remote_unchanged.digest !== plan.remote.digest) issue(["prechecks", "remote_unchanged", "digest"], "must be the remote manifest's digest");
  return issues;
}

/** The two manifests skipped different globs (in any order or repetition), so a skipped file shows as added or removed. */
export function ignoreGlobsDiffer(plan: Pick<z.output<typeof driftPlanShape>, "local" | "remote">): boolean {
  const local = new Set(plan.local.ignore);
  const remote = new Set(plan.remote.ignore);
  return local.size !== remote.size || [...local].some((glob) => !remote.has(glob));
}

/** A side records its link text exactly when it is a link, and a link's digest and size are its text's. */
function linkProblems(state: FileState): Array<{ key: string; message: string }> {
  if (state.type !== "symlink") return state.link === undefined ? [] : [{ key: "link", message: "a file that is not a symlink has no link text" }];
  if (state.link === undefined) return [{ key: "link", message: "a symlink must record its link text" }];
  const textProblem = linkTextProblem(state.link);
  if (textProblem !== null) return [{ key: "link", message: textProblem }];
  const problems: Array<{ key: string; message: string }> = [];
  if (state.sha256 !== sha256Digest(state.link)) problems.push({ key: "sha256", message: `is not the digest of the link text ${quote(state.link)}` });
  if (state.size !== Buffer.byteLength(state.link)) problems.push({ key: "size", message: `is not the length of the link text (${Buffer.byteLength(state.link)} bytes)` });
  return problems;
}

export function aspectsThatDiffer(local: FileState, remote: FileState): Array<(typeof ASPECTS)[number]> {
  const out: Array<(typeof ASPECTS)[number]> = [];
  if (local.type !== remote.type) out.push("type");
  if (local.sha256 !== remote.sha256) out.push("content");
  if (local.mode !== remote.mode) out.push("mode");
  return out;
}

export type DriftPlan = z.output<typeof driftPlanSchema>;
export type PlanFile = z.output<typeof planFile>;
export type FileState = z.output<typeof fileState>;
export type BackupFile = z.output<typeof backupFile>;
