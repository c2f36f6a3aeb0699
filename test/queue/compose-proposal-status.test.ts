import { describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { composeProposal, proposalId } from "../../src/queue/compose-proposal.js";
import type { ProposalTarget } from "../../src/queue/proposal-target.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";
import { BUNDLE, COMMIT, EXAMPLE_TIME, REPO } from "./helpers.js";

const REF = "a".repeat(64);

async function exampleVerdict(): Promise<Verdict> {
  return evaluate(await readEvidence(fixture(BUNDLE)), await readPolicy(), EXAMPLE_TIME);
}

describe("a commit status proposal", () => {
  it("leads its description with the first reason that is not info, not with an info note before it", async () => {
    const verdict: Verdict = {
      ...(await exampleVerdict()),
      verdict: "blocked",
      reasons: [
        { code: "dry_run_only", severity: "info", message: "a note" },
        { code: "evidence_stale", severity: "block", message: "too old" },
      ],
    };
    const proposal = composeProposal(
      { verdict, target: { repo: REPO, kind: "commit", sha: COMMIT }, trigger: "push", delivery: { id: "d-1", event: "push" }, origin: `${REPO}@${COMMIT}:bundle.yaml`, evidenceRef: REF, now: "2026-11-21T12:00:00.000Z", actor: "patchwarden" },
      "d-1",
    );
    expect(proposal.post).toMatchObject({ kind: "status", state: "failure", description: `blocked: evidence_stale (proposal ${proposal.id})` });
  });

  it("falls back to the first reason when every reason is info", async () => {
    const verdict: Verdict = { ...(await exampleVerdict()), verdict: "eligible_repair_dry_run", reasons: [{ code: "dry_run_only", severity: "info", message: "a note" }] };
    const proposal = composeProposal(
      { verdict, target: { repo: REPO, kind: "commit", sha: COMMIT }, trigger: "push", delivery: { id: "d-1", event: "push" }, origin: `${REPO}@${COMMIT}:bundle.yaml`, evidenceRef: REF, now: "2026-11-21T12:00:00.000Z", actor: "patchwarden" },
      "d-1",
    );
    expect(proposal.post).toMatchObject({ kind: "status", state: "success", description: `eligible_repair_dry_run: dry_run_only (proposal ${proposal.id})` });
  });
});

describe("a proposal id", () => {
  it("differs between two targets of the same delivery and evidence, so neither overwrites the other", () => {
    const issue: ProposalTarget = { repo: REPO, kind: "issue", number: 3 };
    const other: ProposalTarget = { repo: REPO, kind: "issue", number: 4 };
    const commit: ProposalTarget = { repo: REPO, kind: "commit", sha: COMMIT };
    const ids = new Set([proposalId("d-1", issue, REF), proposalId("d-1", other, REF), proposalId("d-1", commit, REF)]);
    expect(ids.size).toBe(3);
    expect(proposalId("d-1", issue, REF)).toBe(proposalId("d-1", { ...issue }, REF));
    expect(proposalId("d-1", issue, REF)).toMatch(/^p_[0-9a-f]{20}$/);
  });
});
