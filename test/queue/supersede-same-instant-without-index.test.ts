import { rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useQueue } from "./helpers.js";

const q = useQueue();

describe("two proposals for the same target and bundle made in the same millisecond, with the index lost", () => {
  it("takes the one with the greater id as the newer, the same way from either side", async () => {
    const first = await q.propose({ seed: "d-1" });
    const second = await q.propose({ seed: "d-2" });
    expect(second.created_at).toBe(first.created_at);
    await rm(join(q.dir, "queue", "by-key"), { recursive: true, force: true });

    const [lower, greater] = first.id < second.id ? [first, second] : [second, first];
    expect((await q.store.supersedingProposal(lower))?.id).toBe(greater.id);
    expect(await q.store.supersedingProposal(greater)).toBeNull();
  });
});
