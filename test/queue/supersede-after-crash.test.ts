import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

// A process killed while queueing a newer proposal for the same target and bundle (the hourly
// gate's runs have new ids, so nothing runs it again): whatever it left, the older proposal is
// not approvable beside a newer one, and is approvable when no newer one was written.
const q = useQueue();
const NEWER = { seed: "check:2", now: EXAMPLE_TIME + 1000 };

/** Killed right after it wrote the newer proposal's file, before superseding the older one. */
class KilledAfterWrite extends ProposalStore {
  override async transitionHeld(): Promise<boolean> {
    throw new Error("killed");
  }
}

/** The one index file in the data folder (one target and bundle). */
async function indexFile(): Promise<string> {
  const folder = join(q.dir, "queue", "by-key");
  const names = (await readdir(folder)).filter((name) => name.endsWith(".json"));
  expect(names).toHaveLength(1);
  return join(folder, names[0]!);
}

async function approve(id: string) {
  return approveAsOperator(id, await q.operatorDeps());
}

describe("a newer proposal's process killed before it superseded the older one", () => {
  it("approving the older one is refused as superseded, and the newer one is posted", async () => {
    const older = await q.propose({ seed: "check:1" });
    await expect(q.propose({ ...NEWER, store: new KilledAfterWrite(q.dir) })).rejects.toThrow("killed");
    const newer = (await q.store.list()).find((p) => p.id !== older.id)!;
    expect([older.state, newer.state]).toEqual(["pending", "pending"]);

    expect(await approve(older.id)).toMatchObject({ kind: "refused", reason: expect.stringContaining(`is superseded by \`${newer.id}\``) });
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });
    expect(await approve(newer.id)).toMatchObject({ kind: "posted" });
    expect(q.fake.posted).toHaveLength(1);
  });
});

describe("killed between the index and the newer proposal's file (the index names a proposal that is not there)", () => {
  const MISSING = "p_00000000000000000bad";

  it("the older proposal stays approvable: no newer one exists", async () => {
    const older = await q.propose({ seed: "check:1" });
    await writeFile(await indexFile(), JSON.stringify({ id: MISSING }));
    expect(await approve(older.id)).toMatchObject({ kind: "posted" });
  });

  it("the next proposal for the key finds the older one by reading the queue, and supersedes it", async () => {
    const older = await q.propose({ seed: "check:1" });
    await writeFile(await indexFile(), JSON.stringify({ id: MISSING }));
    const newer = await q.propose(NEWER);
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });
    expect(await approve(newer.id)).toMatchObject({ kind: "posted" });
  });
});

describe("an older and a newer proposal both pending, their index lost", () => {
  it.each([
    ["removed", async () => rm(join(q.dir, "queue", "by-key"), { recursive: true })],
    ["damaged", async () => writeFile(await indexFile(), '{"id": "p_')],
  ])("(%s): approving the older one is refused as superseded, found by reading the queue", async (_, loseIndex) => {
    const older = await q.propose({ seed: "check:1" });
    const claim = await q.store.claim(older.id, "alice", new Date(EXAMPLE_TIME).toISOString());
    if (!claim.ok) throw new Error("expected to claim the older proposal");
    const newer = await q.propose({ ...NEWER, store: new ProposalStore(q.dir, { supersedeWaitMs: 50 }) });
    await claim.release();
    await loseIndex();

    expect(await approve(older.id)).toMatchObject({ kind: "refused", reason: expect.stringContaining(`is superseded by \`${newer.id}\``) });
    expect(await approve(newer.id)).toMatchObject({ kind: "posted" });
    expect(q.fake.posted).toHaveLength(1);
  });
});
