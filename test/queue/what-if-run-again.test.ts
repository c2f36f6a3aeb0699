import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { isWhatIf } from "../../src/queue/proposal.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { proposeWhatIf } from "../../src/queue/propose-what-if.js";

const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
const T1 = Date.parse("2026-11-21T12:00:00Z");
const T2 = Date.parse("2026-11-21T12:30:00Z");

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "pw-whatif-again-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function run(now: number, lines: string[]) {
  return proposeWhatIf(
    { path: "policies/iskra-openclaw.v0.toml", ref: SHA, bytes: await readFile(SHIPPED_POLICY_PATH) },
    { repo: "o/r", kind: "commit", sha: SHA },
    { trigger: "push", delivery: { id: "d-1", event: "push" }, idSeed: "d-1" },
    { dataDir, running: await readPolicy(), proposals: new ProposalStore(dataDir), now, actor: "patchwarden", outputs: new Set(["queue", "stdout"]), printLine: (line) => void lines.push(line) },
  );
}

describe("a what-if job run again once its proposal is queued", () => {
  it("returns and prints the queued proposal as it is, not one made again with the later clock", async () => {
    const firstLines: string[] = [];
    const first = await run(T1, firstLines);
    expect(first.created_at).toBe("2026-11-21T12:00:00.000Z");

    const againLines: string[] = [];
    const again = await run(T2, againLines);
    expect(again).toEqual(first);
    expect(againLines.map((line) => JSON.parse(line) as unknown)).toEqual(firstLines.map((line) => JSON.parse(line) as unknown));
    expect((await new ProposalStore(dataDir).list()).filter(isWhatIf).map((proposal) => [proposal.id, proposal.created_at])).toEqual([[first.id, "2026-11-21T12:00:00.000Z"]]);
  });
});
