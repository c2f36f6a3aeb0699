import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isWhatIf, proposalOutcome, whatIfLoosens } from "../../src/queue/proposal.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { dashboardMaxAge, useQueue } from "./helpers.js";

// A what-if may be looser in its settings while no past verdict shows it (none exercises them):
// every summary must say looser then, not only the count of looser verdicts.
const q = useQueue();
const looserSetting = async () => q.proposeWhatIf(await dashboardMaxAge("2h"));
const stricterSetting = async () => q.proposeWhatIf(await dashboardMaxAge("10m"));

describe("a what-if looser only in its settings", () => {
  it("counts them in its what-if record, its file and its receipt", async () => {
    const proposal = await looserSetting();
    expect(proposal.what_if).toMatchObject({ replayed: 0, loosened: 0, looser_settings: 1 });
    expect(proposal.post).toMatchObject({ state: "pending" });
    const stored = await q.store.require(proposal.id);
    expect(isWhatIf(stored) && stored.what_if.looser_settings).toBe(1);
    const receipts = await receiptsOfProposal(q.log.paths.log, proposal.id);
    expect(receipts).toEqual([expect.objectContaining({ kind: "what_if.proposed", loosened: 0, looser_settings: 1 })]);
  });

  it("is looser in proposalOutcome (queue list, the approval's message)", async () => {
    const proposal = await looserSetting();
    expect(whatIfLoosens(proposal.what_if)).toBe(true);
    expect(proposalOutcome(proposal)).toBe("what-if: 0 looser, 0 stricter; 1 looser setting");
  });

  it("a stricter candidate is not", async () => {
    const proposal = await stricterSetting();
    expect(proposal.what_if.looser_settings).toBe(0);
    expect(whatIfLoosens(proposal.what_if)).toBe(false);
    expect(proposalOutcome(proposal)).toBe("what-if: 0 looser, 0 stricter; 0 looser settings");
  });

  it("a file written before settings were counted still reads, and is never summarised as none looser", async () => {
    const { id } = await stricterSetting();
    const path = join(q.dir, "queue", "proposals", `${id}.json`);
    const file = JSON.parse(await readFile(path, "utf8")) as { what_if: Record<string, unknown> };
    delete file.what_if["looser_settings"];
    await writeFile(path, JSON.stringify(file));
    const proposal = await q.store.require(id);
    if (!isWhatIf(proposal)) throw new Error("not a what-if");
    expect(proposal.what_if.looser_settings).toBeUndefined();
    expect(whatIfLoosens(proposal.what_if)).toBe(true);
    expect(proposalOutcome(proposal)).toBe("what-if: 0 looser, 0 stricter; settings not compared");
  });
});
