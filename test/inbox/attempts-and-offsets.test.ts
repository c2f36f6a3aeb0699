import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-edges-"));
  await mkdir(join(dir, "inbox"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const file = () => join(dir, "inbox", "deliveries.jsonl");
const job = { trigger: "label", repo: "root/example", number: 3, isPull: false, sender: "root" };
const accepted = (delivery: string, at: string) => JSON.stringify({ type: "accepted", delivery, received_at: at, event: "issues", event_type: "issue_label", job });
const failedDone = (delivery: string, at: string) => JSON.stringify({ type: "done", delivery, at, proposals: [], note: "evaluation failed: ENOSPC", failed: true });

describe("inbox: failed attempts and offsets after compaction", () => {
  it("keeps a delivery that failed exactly twice unfinished: the third attempt is still owed", async () => {
    const at = "2026-11-21T05:00:00.000Z";
    await writeFile(file(), `${[accepted("two", at), failedDone("two", at), failedDone("two", at)].join("\n")}\n`);
    const { log, recovered } = await DeliveryLog.open(dir);
    await log.close();
    expect(recovered.unfinished).toEqual([{ delivery: "two", start: 0 }]);
  });

  it("after compaction, an unfinished delivery that is not the first kept line is read back where it now lies", async () => {
    const now = Date.parse("2026-12-31T00:00:00.000Z");
    const recent = new Date(now - 2 * 86_400_000).toISOString();
    const old = new Date(now - 45 * 86_400_000).toISOString();
    const done = (delivery: string) => JSON.stringify({ type: "done", delivery, at: recent, proposals: [] });
    const lines = [accepted("old-done", old), done("old-done"), accepted("recent-done", recent), done("recent-done"), accepted("unfinished", recent)];
    await writeFile(file(), `${lines.join("\n")}\n`);
    // Default read size: the rewrite gathers several lines into one write.
    const { log, recovered } = await DeliveryLog.open(dir, { compaction: { now, thresholdBytes: 64 } });
    try {
      expect(recovered.compaction).not.toBeNull();
      const read = await log.readUnfinished(recovered.unfinished, 0, 10);
      expect(read.damaged).toEqual([]);
      expect(read.jobs).toEqual([{ delivery: "unfinished", job }]);
    } finally {
      await log.close();
    }
  });
});
