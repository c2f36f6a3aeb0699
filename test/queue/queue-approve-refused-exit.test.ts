import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { runCli } from "../helpers/run-cli.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

const approve = (id: string, now: number, extra: Record<string, string> = {}) => runCli(["queue", "approve", id, "--actor", "piotr"], { env: q.env(extra), now });

async function nothingDone(id: string): Promise<void> {
  expect(q.fake.posted).toEqual([]);
  expect(q.fake.writes()).toEqual([]);
  expect((await q.store.require(id)).state).toBe("pending");
  expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed"]);
  expect(await q.locks.activeLeases(EXAMPLE_TIME + 3 * 3600_000)).toEqual([]);
}

describe("queue approve of a proposal that no longer holds", () => {
  it("the verdict changed (the evidence went stale): exit 1, saying what changed and what to do; nothing posted or recorded", async () => {
    const proposal = await q.propose();
    const run = await approve(proposal.id, EXAMPLE_TIME + 2 * 3600_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      new RegExp(`^patchwarden: proposal \`${proposal.id}\` no longer holds: the verdict is now \`blocked\`, not \`eligible_repair_dry_run\` \\(evidence_stale: [^\\n]+\\)\\. Nothing was posted; ask for a new gate check \\(or reject this proposal\\)\\n$`),
    );
    await nothingDone(proposal.id);
  });

  it("the policy changed since it was proposed: exit 1, naming both digests; nothing posted or recorded", async () => {
    const proposal = await q.propose();
    const folder = await mkdtemp(join(tmpdir(), "pw-approve-policy-"));
    try {
      const edited = (await readFile(SHIPPED_POLICY_PATH, "utf8")).replace('skew_tolerance = "2m"', 'skew_tolerance = "3m"');
      const parsed = parsePolicy(Buffer.from(edited));
      if (!parsed.ok) throw new Error("edited policy invalid");
      const policyFile = join(folder, "policy.toml");
      await writeFile(policyFile, edited);
      const run = await approve(proposal.id, EXAMPLE_TIME + 60_000, { PATCHWARDEN_POLICY: policyFile });
      expect(run).toEqual({
        code: 1,
        stdout: "",
        stderr: `patchwarden: proposal \`${proposal.id}\` no longer holds: the policy changed (${proposal.policy_digest} → ${parsed.policy.digest}). Nothing was posted; ask for a new gate check (or reject this proposal)\n`,
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    await nothingDone(proposal.id);
  });

  it("still holding a minute later, the same command posts it (exit 0)", async () => {
    const proposal = await q.propose();
    const run = await approve(proposal.id, EXAMPLE_TIME + 60_000);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^posted ${proposal.id} \\(eligible_repair_dry_run\\) to `));
    expect(q.fake.posted).toHaveLength(1);
  });
});
