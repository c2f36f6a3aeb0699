import { describe, expect, it } from "vitest";
import type { Rejudged } from "../../src/replay/rejudge.js";
import { MAX_COMMENT_ROWS, renderReplayText, renderWhatIfMarkdown } from "../../src/replay/render-replay.js";
import type { ReplayReport } from "../../src/replay/replay-verdicts.js";

function row(seq: number): Rejudged {
  return { seq, recorded_at: "2026-11-21T12:00:00.000Z", evaluated_at: "2026-11-21T12:00:00.000Z", repair_class: "gateway_restart", before: "blocked", after: "eligible_repair_dry_run", direction: "loosened", reasons_added: [], reasons_removed: [], held_by_lock: false, engine_changed: false };
}

function report(changed: number, extra: Partial<ReplayReport> = {}): ReplayReport {
  const rows = Array.from({ length: changed }, (_, i) => row(i + 1));
  return { policy: { name: "cand", digest: "sha256:00" }, running: null, policy_loosenings: [], since: null, receipt_log: true, through_seq: changed, replayed: changed, unchanged: 0, loosened: changed, tightened: 0, changed: rows, engine_changed: 0, without_evidence: 0, unreplayable: [], ...extra };
}

const change = { path: "policies/cand.toml", ref: "a".repeat(40) };
const heading = (body: string) => body.split("\n")[0]!;
const tableRows = (body: string) => body.split("\n").filter((line) => /^\| (\*\*looser\*\*|stricter) \|/.test(line));

describe("the what-if comment's headline icon", () => {
  it("is yellow when past verdicts loosen, even with no setting looser than the running policy", () => {
    expect(heading(renderWhatIfMarkdown(report(1), change))).toMatch(/^### 🟡 /);
  });

  it("is white, not green, when nothing changed but some verdicts could not be replayed", () => {
    const body = renderWhatIfMarkdown(report(0, { unreplayable: [{ seq: 1, problem: "its evidence cannot be read" }], through_seq: 1 }), change);
    expect(heading(body)).toMatch(/^### ⚪ /);
    expect(heading(renderWhatIfMarkdown(report(0), change))).toMatch(/^### 🟢 /);
  });
});

describe("the what-if comment's table of changed verdicts", () => {
  it("shows exactly 50 changed verdicts in full, with no `…and 0 more` line", () => {
    const body = renderWhatIfMarkdown(report(MAX_COMMENT_ROWS), change);
    expect(tableRows(body)).toHaveLength(MAX_COMMENT_ROWS);
    expect(body).not.toContain("more;");
  });
});

describe("what the replay could not cover", () => {
  it("names every receipt that was not replayed, and why, in the comment and on a terminal", () => {
    const unreplayable = [
      { seq: 4, problem: "its evidence cannot be read" },
      { seq: 7, problem: "its kept evidence hashes to something else" },
    ];
    const r = report(1, { unreplayable, through_seq: 7 });
    const body = renderWhatIfMarkdown(r, change);
    expect(body).toContain("\n- receipt 4: its evidence cannot be read\n");
    expect(body).toContain("\n- receipt 7: its kept evidence hashes to something else\n");
    const text = renderReplayText(r, "the candidate");
    expect(text).toContain("\nnot replayed: receipt 4: its evidence cannot be read\n");
    expect(text).toContain("\nnot replayed: receipt 7: its kept evidence hashes to something else\n");
  });

  it("says when even a single verdict was first judged by another engine version, and marks its row", () => {
    const r = report(1, { engine_changed: 1, changed: [{ ...row(1), engine_changed: true }] });
    const text = renderReplayText(r, "the candidate");
    expect(text).toMatch(/note: 1 verdict was first judged by another engine version/);
    expect(text).toMatch(/receipt 1, .*\(other engine version\)/);
    expect(renderWhatIfMarkdown(r, change)).toMatch(/\n- 1 verdict was first judged by another engine version;/);
  });
});
