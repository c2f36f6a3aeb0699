import { describe, expect, it } from "vitest";
import { rankChanges, type Rejudged } from "../../src/replay/rejudge.js";
import type { VerdictName } from "../../src/verdict/verdict-types.js";

const VERDICTS: VerdictName[] = ["blocked", "needs_human", "eligible_repair_dry_run"];

function change(seq: number, before: VerdictName, after: VerdictName): Rejudged {
  const delta = VERDICTS.indexOf(after) - VERDICTS.indexOf(before);
  return { seq, recorded_at: "", evaluated_at: "", repair_class: null, before, after, direction: delta > 0 ? "loosened" : delta < 0 ? "tightened" : "unchanged", reasons_added: [], reasons_removed: [], held_by_lock: false, engine_changed: false };
}

describe("rankChanges", () => {
  it("puts the most permissive change first, then the oldest, and leaves out the unchanged", () => {
    const all: Rejudged[] = [];
    let seq = 0;
    for (const before of VERDICTS) for (const after of VERDICTS) all.push(change(++seq, before, after), change(++seq, before, after));
    expect(rankChanges(all.reverse()).map((c) => `${c.before}→${c.after}#${c.seq}`)).toEqual([
      "blocked→eligible_repair_dry_run#5",
      "blocked→eligible_repair_dry_run#6",
      "needs_human→eligible_repair_dry_run#11",
      "needs_human→eligible_repair_dry_run#12",
      "blocked→needs_human#3",
      "blocked→needs_human#4",
      "eligible_repair_dry_run→needs_human#15",
      "eligible_repair_dry_run→needs_human#16",
      "needs_human→blocked#7",
      "needs_human→blocked#8",
      "eligible_repair_dry_run→blocked#13",
      "eligible_repair_dry_run→blocked#14",
    ]);
  });
});
