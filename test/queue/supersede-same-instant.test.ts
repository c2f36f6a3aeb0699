import { describe, expect, it } from "vitest";
import { useQueue } from "../queue/helpers.js";

const q = useQueue();

describe("two jobs judged in the same millisecond", () => {
  it("lets the later job's proposal supersede the earlier one, not the other way round", async () => {
    const first = await q.propose({ seed: "d-1" });
    const second = await q.propose({ seed: "d-2" });
    expect(second.id).not.toBe(first.id);
    expect(second.created_at).toBe(first.created_at);
    expect((await q.store.require(first.id)).state).toBe("superseded");
    expect((await q.store.require(second.id)).state).toBe("pending");
  });

  it("names the same-instant newer proposal as the one superseding the older (what an approval checks)", async () => {
    const first = await q.propose({ seed: "d-1" });
    const second = await q.propose({ seed: "d-2" });
    expect(second.created_at).toBe(first.created_at);
    expect((await q.store.supersedingProposal(first))?.id).toBe(second.id);
    expect(await q.store.supersedingProposal(second)).toBeNull();
  });
});
