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
