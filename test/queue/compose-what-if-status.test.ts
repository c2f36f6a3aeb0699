import { describe, expect, it } from "vitest";
import { composeWhatIfProposal, WHAT_IF_STATUS_CONTEXT, whatIfProposalId } from "../../src/queue/compose-what-if.js";
import type { WhatIf } from "../../src/queue/proposal.js";
import type { ProposalTarget } from "../../src/queue/proposal-target.js";
import type { ReplayReport } from "../../src/replay/replay-verdicts.js";
import type { WhatIfResult } from "../../src/replay/what-if.js";

const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
const COMMIT: ProposalTarget = { repo: "o/r", kind: "commit", sha: SHA };
const PULL: ProposalTarget = { repo: "o/r", kind: "pull", number: 4 };
const ID = "p_00000000000000000001";

/** A replay of `unreplayable` past verdicts whose evidence could not be read, none changed, no setting looser. */
function replayed(unreplayable: number): WhatIfResult {
  const report: ReplayReport = {
    policy: { name: "cand", digest: "sha256:00" },
    running: null,
    policy_loosenings: [],
    since: null,
    receipt_log: true,
    through_seq: unreplayable,
    replayed: 0,
    unchanged: 0,
    loosened: 0,
    tightened: 0,
    changed: [],
    engine_changed: 0,
    without_evidence: 0,
    unreplayable: Array.from({ length: unreplayable }, (_, i) => ({ seq: i + 1, problem: "its evidence abc… cannot be read: it is not in the evidence store" })),
  };
  const whatIf: WhatIf = { path: "policies/p.toml", ref: SHA, policy_toml: "", policy_digest: "sha256:00", problems: [], through_seq: unreplayable, replayed: 0, loosened: 0, tightened: 0, not_replayed: unreplayable, looser_settings: 0, result_digest: "x" };
  return { whatIf, report };
}

/** A candidate that was never replayed, for `problems`. */
function notReplayed(problems: string[]): WhatIfResult {
  const whatIf: WhatIf = { path: "policies/p.toml", ref: SHA, policy_toml: "", policy_digest: null, problems, through_seq: 0, replayed: 0, loosened: 0, tightened: 0, not_replayed: 0, looser_settings: 0, result_digest: "x" };
  return { whatIf, report: null };
}

function compose(result: WhatIfResult, target: ProposalTarget) {
  return composeWhatIfProposal({ result, target, trigger: "push", delivery: { id: "d-1", event: "push" }, now: "2026-11-21T12:00:00.000Z", actor: "patchwarden" }, ID);
}

describe("a what-if's commit status", () => {
  it("is `success` only when every past verdict was replayed and nothing loosens", () => {
    expect(compose(replayed(0), COMMIT).post).toEqual({ kind: "status", state: "success", context: WHAT_IF_STATUS_CONTEXT, description: `no past verdict would change (0 replayed) (proposal ${ID})` });
  });

  it("is `pending` when a single past verdict could not be replayed, though nothing loosens", () => {
    expect(compose(replayed(1), COMMIT).post).toEqual({
      kind: "status",
      state: "pending",
      context: WHAT_IF_STATUS_CONTEXT,
      description: `no replayed verdict would change (0 replayed, 1 not replayed) (proposal ${ID})`,
    });
  });

  it("is `pending` when the looser settings were never counted (a file of an older release)", () => {
    const result = replayed(0);
    delete result.whatIf.looser_settings;
    expect(compose(result, COMMIT).post).toMatchObject({ state: "pending" });
  });

  it("fits a long problem into 140 characters and keeps the proposal id at its end", () => {
    const problem = `policies/p.toml: ${"x".repeat(300)}`;
    const post = compose(notReplayed([problem, "second"]), COMMIT).post;
    expect(post.kind).toBe("status");
    const description = post.kind === "status" ? post.description : "";
    expect(description).toHaveLength(140);
    expect(description).toBe(`not replayed: ${problem}`.slice(0, 140 - ` (proposal ${ID})`.length) + ` (proposal ${ID})`);
    expect(post).toMatchObject({ state: "failure" });
  });
});

describe("a what-if's comment for a policy that was not replayed", () => {
  it("keeps the path, the commit and every problem in code spans, so none of them becomes markup or a mention", () => {
    const post = compose({ ...notReplayed(["line 1: `x` @admin **bold**", "<img src=x>"]), whatIf: { ...notReplayed([]).whatIf, path: "policies/@ops **p**.toml", problems: ["line 1: `x` @admin **bold**", "<img src=x>"] } }, PULL).post;
    expect(post.kind).toBe("comment");
    const body = post.kind === "comment" ? post.body : "";
    expect(body).not.toMatch(/(^|[^\u200b])@admin/);
    expect(body).not.toMatch(/(^|[^\u200b])@ops/);
    const lines = body.split("\n");
    expect(lines[1]).toMatch(/^### 🔴 Patchwarden policy what-if: `+[^`].*`+ was not replayed$/);
    expect(lines.filter((line) => line.startsWith("- "))).toEqual([expect.stringMatching(/^- ``.*``$/), "- `<img src=x>`"]);
  });
});

describe("a what-if's id", () => {
  it("differs for a file that could not be read and one that was read empty, at the same commit", () => {
    const read = whatIfProposalId("d-1", COMMIT, { path: "policies/p.toml", ref: SHA, bytes: new Uint8Array() });
    const unreadable = whatIfProposalId("d-1", COMMIT, { path: "policies/p.toml", ref: SHA, bytes: new Uint8Array(), unreadable: "policies/p.toml: too large" });
    expect(read).not.toBe(unreadable);
    expect(unreadable).toBe(whatIfProposalId("d-1", COMMIT, { path: "policies/p.toml", ref: SHA, bytes: new Uint8Array(), unreadable: "policies/p.toml: too large" }));
  });
});
