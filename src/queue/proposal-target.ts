/** Where a proposal would be posted, once the operator approves it. */
export type ProposalTarget =
  | { repo: string; kind: "issue" | "pull"; number: number }
  | { repo: string; kind: "commit"; sha: string };

export function describeTarget(target: ProposalTarget): string {
  return target.kind === "commit" ? `${target.repo}@${target.sha.slice(0, 12)}` : `${target.repo}#${target.number}`;
}

/** A stable key: proposals for the same target and bundle supersede each other. */
export function targetKey(target: ProposalTarget): string {
  return target.kind === "commit" ? `${target.repo}@${target.sha}` : `${target.repo}#${target.number}`;
}

const REPO = "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+";
const ISSUE_TARGET = new RegExp(`^(${REPO})#([1-9][0-9]{0,9})$`);
const COMMIT_TARGET = new RegExp(`^(${REPO})@([0-9a-f]{40}|[0-9a-f]{64})$`);

/**
 * `owner/name#N` (a comment on issue or pull request N; Forgejo comments on both through the
 * issue API) or `owner/name@SHA` (a commit status; the full SHA-1 or SHA-256 commit id).
 * Returns the target, or a message saying what to write instead.
 */
export function parseProposalTarget(text: string): { ok: true; target: ProposalTarget } | { ok: false; problem: string } {
  const issue = ISSUE_TARGET.exec(text);
  if (issue !== null) return { ok: true, target: { repo: issue[1]!, kind: "issue", number: Number(issue[2]) } };
  const commit = COMMIT_TARGET.exec(text);
  if (commit !== null) return { ok: true, target: { repo: commit[1]!, kind: "commit", sha: commit[2]! } };
  const shown = text === "" ? "an empty target" : `\`${text}\``;
  const hint = /@[0-9a-fA-F]+$/.test(text) ? " (a commit is named by its full lowercase id, 40 or 64 hex digits)" : "";
  return { ok: false, problem: `${shown} is not a target${hint}; write \`owner/name#N\` for an issue or pull request, or \`owner/name@SHA\` for a commit` };
}
