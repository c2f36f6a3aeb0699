import picomatch from "picomatch";
import type * as z from "zod";
import type { DeliveryHeaders } from "./webhook-headers.js";
import { isCommitId, isZeroCommit } from "./commit-id.js";
import type { IssueJob, Job } from "./jobs.js";
import { hasName } from "./forgejo-names.js";
import { commentPayload, issuesPayload, pullRequestHead, pullRequestPayload, pushPayload, type PushCommit } from "./webhook-payloads.js";

/**
 * Who and where, as configured. Forgejo tells owners, repositories and logins apart without regard to
 * case (its `lower_name`; `/Root/Example` is `/root/example`), and a delivery names them in the case
 * they were created with: every comparison here ignores case (`hasName`).
 */
export interface TriggerRules {
  /** `owner/name`, in any case. */
  repos: ReadonlySet<string>;
  /** Logins who may ask for a gate check (label, command), in any case. */
  operators: ReadonlySet<string>;
  /** Logins whose pushes and pull requests carry evidence (e.g. Iskra's bot), besides the operators. */
  producers: ReadonlySet<string>;
  gateLabel: string;
  evidenceGlobs: readonly string[];
  /** Policy files whose changes get a what-if proposal (none when empty). */
  policyGlobs: readonly string[];
}

export type Classification = { kind: "job"; job: Job } | { kind: "ignored"; reason: string };

export const CHECK_COMMAND = "/patchwarden check";

/**
 * What the unsigned event headers ask for, as classifyDelivery reads them: deliveries whose headers
 * differ elsewhere (another X-Forgejo-Event-Type where none is read, `pull_request_comment` for
 * `issue_comment`) ask for the same thing. The inbox keys redeliveries on it (content-key.ts).
 */
export type DeliveryRoute = "issue_label" | "issues_other" | "pull_label" | "pull_request" | "comment" | "push" | { other: string };

export function deliveryRoute(event: string, eventType: string | undefined): DeliveryRoute {
  const type = eventType ?? event;
  switch (event) {
    case "issues":
      return type === "issue_label" ? "issue_label" : "issues_other";
    case "pull_request":
      return type === "pull_request_label" ? "pull_label" : "pull_request";
    case "issue_comment":
    case "pull_request_comment":
      return "comment";
    case "push":
      return "push";
    default:
      return { other: event };
  }
}

/**
 * Pure: a verified delivery → the job it asks for, or why it asks for nothing. Ignoring is a
 * normal answer (202 with the reason): Forgejo sends every event the hook is subscribed to.
 */
export function classifyDelivery(headers: DeliveryHeaders, payload: unknown, rules: TriggerRules): Classification {
  const event = headers.event ?? "";
  const route = deliveryRoute(event, headers.eventType);
  switch (route) {
    case "issue_label":
      return labelJob(issuesPayload, payload, rules, "issue");
    case "issues_other":
      return ignored(`issues event of type \`${headers.eventType ?? event}\` is not a trigger`);
    case "pull_label":
      return labelJob(pullRequestPayload, payload, rules, "pull");
    case "pull_request":
      return pullRequestJob(payload, rules);
    case "comment":
      return commandJob(payload, rules);
    case "push":
      return pushJob(payload, rules);
    default:
      return ignored(`event \`${event || "(none)"}\` is not a trigger; subscribe the hook to issues, issue comments, pull requests and pushes only`);
  }
}

function labelJob(schema: typeof issuesPayload | typeof pullRequestPayload, payload: unknown, rules: TriggerRules, kind: "issue" | "pull"): Classification {
  const parsed = parse(schema, payload);
  if (!parsed.ok) return ignored(parsed.reason);
  const p = parsed.value as z.output<typeof issuesPayload> & z.output<typeof pullRequestPayload>;
  const repoProblem = checkRepo(p.repository.full_name, rules);
  if (repoProblem) return ignored(repoProblem);
  if (p.action !== "label_updated") return ignored(`label action \`${p.action}\` does not ask for a gate check (only \`label_updated\` with the gate label present does)`);
  const labels = (kind === "issue" ? p.issue.labels : p.pull_request.labels) ?? [];
  if (!labels.some((l) => l.name === rules.gateLabel)) return ignored(`the gate label \`${rules.gateLabel}\` is not on it`);
  if (!isOperator(p.sender.login, rules)) return ignored(`\`${p.sender.login}\` is not an operator (PATCHWARDEN_OPERATORS); only an operator's label asks for a gate check`);
  const number = kind === "issue" ? p.issue.number : p.number;
  const isPull = kind === "pull" || Boolean(p.issue?.pull_request);
  const head = kind === "pull" ? headShaOf(p.pull_request) : {};
  return { kind: "job", job: { trigger: "label", repo: p.repository.full_name, number, isPull, sender: p.sender.login, ...head } };
}

function commandJob(payload: unknown, rules: TriggerRules): Classification {
  const parsed = parse(commentPayload, payload);
  if (!parsed.ok) return ignored(parsed.reason);
  const p = parsed.value;
  const repoProblem = checkRepo(p.repository.full_name, rules);
  if (repoProblem) return ignored(repoProblem);
  if (p.action !== "created") return ignored(`comment action \`${p.action}\` is not a trigger`);
  const asksForCheck = (p.comment.body ?? "").split(/\r?\n/).some((line) => line.trim() === CHECK_COMMAND);
  if (!asksForCheck) return ignored(`the comment does not contain a \`${CHECK_COMMAND}\` line`);
  if (!isOperator(p.sender.login, rules)) return ignored(`\`${p.sender.login}\` is not an operator (PATCHWARDEN_OPERATORS); only an operator may ask for a check`);
  const isPull = Boolean(p.issue.pull_request);
  return {
    kind: "job",
    job: { trigger: "command", repo: p.repository.full_name, number: p.issue.number, isPull, sender: p.sender.login, commentId: p.comment.id, ...(isPull ? headShaOf(p.pull_request) : {}) },
  };
}

/**
 * The head commit a label or comment delivery names for its pull request, if it names one: a
 * check still runs without it (attachments need none), and the head is then asked of Forgejo.
 */
function headShaOf(pull: { head?: { sha?: string | null | undefined } | null | undefined } | null | undefined): Pick<IssueJob, "headSha"> {
  const sha = pull?.head?.sha;
  return isCommitId(sha) ? { headSha: sha } : {};
}

function pullRequestJob(payload: unknown, rules: TriggerRules): Classification {
  const parsed = parse(pullRequestPayload, payload);
  if (!parsed.ok) return ignored(parsed.reason);
  const p = parsed.value;
  const repoProblem = checkRepo(p.repository.full_name, rules);
  if (repoProblem) return ignored(repoProblem);
  if (p.action !== "opened" && p.action !== "synchronized" && p.action !== "reopened") return ignored(`pull request action \`${p.action}\` is not a trigger (opened, reopened and synchronized are)`);
  if (!mayCarryEvidence(p.sender.login, rules)) return ignored(`\`${p.sender.login}\` is neither an operator nor an evidence producer (PATCHWARDEN_PRODUCERS)`);
  const head = parse(pullRequestHead, payload);
  if (!head.ok) return ignored(head.reason);
  return { kind: "job", job: { trigger: "pull_request", repo: p.repository.full_name, number: p.number, headSha: head.value.pull_request.head.sha, sender: p.sender.login } };
}

function pushJob(payload: unknown, rules: TriggerRules): Classification {
  const parsed = parse(pushPayload, payload);
  if (!parsed.ok) return ignored(parsed.reason);
  const p = parsed.value;
  const repoProblem = checkRepo(p.repository.full_name, rules);
  if (repoProblem) return ignored(repoProblem);
  if (isZeroCommit(p.after)) return ignored("the push deleted the ref; nothing to evaluate");
  if (!p.ref.startsWith("refs/heads/")) return ignored(`\`${p.ref}\` is not a branch`);
  if (!mayCarryEvidence(p.sender.login, rules)) return ignored(`\`${p.sender.login}\` is neither an operator nor an evidence producer (PATCHWARDEN_PRODUCERS)`);
  const listed = listedChanges(p.commits ?? [], p.head_commit ?? null, p.after, p.total_commits);
  const changed = changedFiles(listed, rules.evidenceGlobs);
  const policies = changedFiles(listed, rules.policyGlobs);
  if (changed.length === 0 && policies.length === 0 && !listed.truncated) {
    return ignored(`no added or modified file matches the evidence globs (${rules.evidenceGlobs.join(", ")})${rules.policyGlobs.length > 0 ? ` or the policy globs (${rules.policyGlobs.join(", ")})` : ""}`);
  }
  return {
    kind: "job",
    job: { trigger: "push", repo: p.repository.full_name, ref: p.ref, before: p.before, after: p.after, sender: p.sender.login, files: changed, policyFiles: policies, truncated: listed.truncated },
  };
}

/** What a push's webhook lists of its changes: its commits oldest first (if that order is known), then the pushed commit. */
interface ListedChanges {
  commits: readonly PushCommit[];
  known: boolean;
  /** The pushed commit, when `commits` leaves it out and head_commit gives it: newest of all. */
  newest: PushCommit | null;
  /** The webhook does not list all the push changed (see PushJob.truncated). */
  truncated: boolean;
}

/**
 * A push's changes as its webhook lists them. A branch created at a commit already in the
 * repository lists no commits (the real HookPushBranch capture): what the pushed commit changed is
 * then in `head_commit` alone. When neither `commits` nor `head_commit` gives the pushed commit,
 * the list cannot be trusted to hold what it changed: it is truncated, never "changed nothing".
 */
function listedChanges(commits: readonly PushCommit[], headCommit: PushCommit | null, after: string, totalCommits: number | null | undefined): ListedChanges {
  const truncated = (totalCommits ?? commits.length) > commits.length;
  const ordered = oldestFirst(commits, after);
  if (commits.some((commit) => sameCommit(commit.id, after))) return { ...ordered, newest: null, truncated };
  if (headCommit !== null && sameCommit(headCommit.id, after)) return { ...ordered, newest: headCommit, truncated };
  return { ...ordered, newest: null, truncated: true };
}

type OrderedCommits = { commits: readonly PushCommit[]; known: boolean };

/**
 * The push's commits oldest first, and whether that order is known. Forgejo lists them newest first
 * (git log; the real HookPushMulti capture), but the order is read from the payload, not assumed:
 * the newest commit is the one the push moved the branch to.
 */
function oldestFirst(commits: readonly PushCommit[], after: string): OrderedCommits {
  if (commits.length === 0 || sameCommit(commits.at(-1)!.id, after)) return { commits, known: true };
  if (sameCommit(commits[0]!.id, after)) return { commits: [...commits].reverse(), known: true };
  return { commits, known: false };
}

function sameCommit(id: string, other: string): boolean {
  return id.toLowerCase() === other.toLowerCase();
}

/**
 * Files added or modified by the commits that match the globs and are still there at `after`. In an
 * order that cannot be told, a removal removes nothing: a file that is gone then fails to read and
 * is blocked saying so, rather than a file that is there going unjudged. The pushed commit, last of
 * all, always decides.
 */
function changedFiles(listed: ListedChanges, globs: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const matches = matcherOf(globs);
  const changed = new Set<string>();
  const apply = (commit: PushCommit, removes: boolean) => {
    for (const file of [...(commit.added ?? []), ...(commit.modified ?? [])]) if (matches(file)) changed.add(file);
    if (removes) for (const file of commit.removed ?? []) changed.delete(file);
  };
  for (const commit of listed.commits) apply(commit, listed.known);
  if (listed.newest !== null) apply(listed.newest, true);
  return [...changed].sort();
}

function checkRepo(fullName: string, rules: TriggerRules): string | null {
  return hasName(rules.repos, fullName) ? null : `repository \`${fullName}\` is not allowed (PATCHWARDEN_REPOS)`;
}

function isOperator(login: string, rules: TriggerRules): boolean {
  return hasName(rules.operators, login);
}

function mayCarryEvidence(login: string, rules: TriggerRules): boolean {
  return isOperator(login, rules) || hasName(rules.producers, login);
}

function parse<S extends z.ZodType>(schema: S, payload: unknown): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const path = `\`${issue.path.join(".") || "(root)"}\``;
  // A refinement's words are ours, written to follow the field (webhook-payloads' commitId).
  if (issue.code === "custom") return { ok: false, reason: `${path} ${issue.message}` };
  return { ok: false, reason: `the payload lacks what this event should carry (${path}: ${issue.message.toLowerCase()})` };
}

function ignored(reason: string): Classification {
  return { kind: "ignored", reason };
}

/** Compiling globs costs more than classifying a delivery: once per configured list, not per push. */
const compiledGlobs = new WeakMap<readonly string[], (path: string) => boolean>();
function matcherOf(globs: readonly string[]): (path: string) => boolean {
  let matches = compiledGlobs.get(globs);
  if (matches === undefined) {
    matches = picomatch([...globs], { dot: false });
    compiledGlobs.set(globs, matches);
  }
  return matches;
}
