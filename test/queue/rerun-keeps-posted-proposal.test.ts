import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

describe("an older job run again after a newer proposal for the same target and bundle was queued", () => {
  it("keeps its already posted proposal as posted, with its history and posted record", async () => {
    const older = await q.propose();
    expect(await approveAsOperator(older.id, await q.operatorDeps())).toMatchObject({ kind: "posted" });
    const before = await q.store.require(older.id);
    expect(before.state).toBe("posted");
    await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 1000 });

    const again = await q.propose({ recovered: true });
    expect(again.id).toBe(older.id);
    expect(await q.store.require(older.id)).toEqual(before);
    expect(q.fake.posted).toHaveLength(1);
  });
});
