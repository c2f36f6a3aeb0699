import { describe, expect, it } from "vitest";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { policyOf, SHIPPED } from "../helpers/policy-text.js";

const ANCHOR = "[hard_manual.service_restart]";
const DESTRUCTIVE = 'actions = ["files.delete", "data.purge", "cache.purge", "backup.delete", "db.drop", "process.kill"]';

/** The shipped policy with a hard-manual class of the operator's own, beyond the required ones. */
function withMaintenance(actions: string[]): string {
  expect(SHIPPED).toContain(ANCHOR);
  const table = `[hard_manual.maintenance]\ndescription = "Maintenance the operator runs by hand."\nactions = [${actions.map((a) => `"${a}"`).join(", ")}]\n\n`;
  return SHIPPED.replace(ANCHOR, `${table}${ANCHOR}`);
}

const shipped = policyOf(SHIPPED);

describe("policyLoosenings: hard-manual actions a candidate drops", () => {
  it("a whole hard-manual class removed is named at the class, with every action it held", () => {
    const running = policyOf(withMaintenance(["cache.vacuum", "cache.compact"]));
    expect(policyLoosenings(running, shipped)).toEqual([
      {
        path: "policy.hard_manual.maintenance",
        change: "`cache.vacuum`, `cache.compact` are no longer hard-manual: a plan step naming one no longer goes to the operator (`plan_step_hard_manual`)",
      },
    ]);
  });

  it("a class that stays but loses one of its actions is named at its actions", () => {
    const running = policyOf(withMaintenance(["cache.vacuum", "cache.compact"]));
    const candidate = policyOf(withMaintenance(["cache.compact"]));
    expect(policyLoosenings(running, candidate)).toEqual([
      { path: "policy.hard_manual.maintenance.actions", change: "`cache.vacuum` is no longer hard-manual: a plan step naming it no longer goes to the operator (`plan_step_hard_manual`)" },
    ]);
  });

  it("two extra actions dropped from a required class are both named, as plural", () => {
    expect(SHIPPED).toContain(DESTRUCTIVE);
    const running = policyOf(SHIPPED.replace(DESTRUCTIVE, DESTRUCTIVE.replace('"process.kill"]', '"process.kill", "cache.vacuum", "logs.truncate"]')));
    expect(policyLoosenings(running, shipped)).toEqual([
      {
        path: "policy.hard_manual.destructive.actions",
        change: "`cache.vacuum`, `logs.truncate` are no longer hard-manual: a plan step naming one no longer goes to the operator (`plan_step_hard_manual`)",
      },
    ]);
  });
});
