import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useQueue } from "./helpers.js";

const q = useQueue();

describe("a file in the proposals folder whose name is not a proposal id", () => {
  it("names no proposal: it is neither found by that name nor listed beside the real one", async () => {
    const proposal = await q.propose();
    const folder = join(q.dir, "queue", "proposals");
    await copyFile(join(folder, `${proposal.id}.json`), join(folder, "backup.json"));

    expect(await q.store.get("backup")).toBeNull();
    await expect(q.store.require("backup")).rejects.toThrow("no proposal `backup`");
    expect((await q.store.list()).map((p) => p.id)).toEqual([proposal.id]);
  });
});
