import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useQueue } from "./helpers.js";

const q = useQueue();

describe("a job run again after its target's index file was damaged", () => {
  it("finds its own proposal and leaves it pending: a proposal never supersedes itself", async () => {
    const proposal = await q.propose();
    const index = join(q.dir, "queue", "by-key");
    const files = await readdir(index);
    expect(files).toHaveLength(1);
    await writeFile(join(index, files[0]!), "{ not json");

    const again = await q.propose({ recovered: true });
    expect(again.id).toBe(proposal.id);
    const stored = await q.store.require(proposal.id);
    expect(stored.state).toBe("pending");
    expect(stored.superseded_by).toBeUndefined();
    expect((await q.store.list()).map((p) => p.id)).toEqual([proposal.id]);
  });
});
