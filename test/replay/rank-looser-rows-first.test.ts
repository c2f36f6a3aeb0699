import { describe, expect, it } from "vitest";
import { rankChanges, type Rejudged } from "../../src/replay/rejudge.js";
import type { VerdictName } from "../../src/verdict/verdict-types.js";

function row(seq: number, before: VerdictName, after: VerdictName, direction: Rejudged["direction"], extra: Partial<Rejudged> = {}): Rejudged {
  return { seq, recorded_at: "", evaluated_at: "", repair_class: null, before, after, direction, reasons_added: [], reasons_removed: [], held_by_lock: false, engine_changed: false, ...extra };
}

describe("ranking changed verdicts", () => {
  it("puts a looser row first even when its verdict got stricter, because a check that held it was dropped", () => {
    const droppedCheck = row(1, "eligible_repair_dry_run", "blocked", "loosened", { loosened_checks: ["hard_manual_class"] });
    const stricter = row(2, "eligible_repair_dry_run", "needs_human", "tightened");
    expect(rankChanges([stricter, droppedCheck]).map((r) => r.seq)).toEqual([1, 2]);
  });

  it("orders rows that change alike by their receipt, oldest first", () => {
    const rows = [row(9, "blocked", "eligible_repair_dry_run", "loosened"), row(4, "blocked", "eligible_repair_dry_run", "loosened"), row(6, "blocked", "eligible_repair_dry_run", "loosened")];
    expect(rankChanges(rows).map((r) => r.seq)).toEqual([4, 6, 9]);
  });

  it("compares rows a lock held by their verdicts without the lock", () => {
    const held = row(1, "needs_human", "needs_human", "loosened", { held_by_lock: true, without_lock: { before: "blocked", after: "eligible_repair_dry_run" } });
    const plain = row(2, "needs_human", "eligible_repair_dry_run", "loosened");
    expect(rankChanges([plain, held]).map((r) => r.seq)).toEqual([1, 2]);
  });
});
