import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-failed-compacted-"));
  await mkdir(join(dir, "inbox"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const job = { trigger: "label", repo: "root/example", number: 9, isPull: false, sender: "root" };

describe("a delivery whose evaluation failed once, through a compaction", () => {
  it("is still read back and run from its accepted line, not reported as damaged", async () => {
    const now = Date.parse("2026-12-31T00:00:00.000Z");
    const recent = new Date(now - 86_400_000).toISOString();
    const old = new Date(now - 60 * 86_400_000).toISOString();
    const lines = [
      JSON.stringify({ type: "ignored", delivery: "old", received_at: old, event: "release", event_type: "published", reason: "not a trigger" }),
      JSON.stringify({ type: "accepted", delivery: "retry", received_at: recent, event: "issues", event_type: "issue_label", job }),
      JSON.stringify({ type: "done", delivery: "retry", at: recent, proposals: [], note: "evaluation failed: EIO", failed: true }),
    ];
    await writeFile(join(dir, "inbox", "deliveries.jsonl"), `${lines.join("\n")}\n`);
    const { log, recovered } = await DeliveryLog.open(dir, { compaction: { now, thresholdBytes: 64 } });
    try {
      expect(recovered.compaction).not.toBeNull();
      expect(recovered.compaction!.linesDropped).toBe(1);
      // The accepted line is now the log's first.
      expect(recovered.unfinished).toEqual([{ delivery: "retry", start: 0 }]);
      const read = await log.readUnfinished(recovered.unfinished, 0, 10);
      expect(read.damaged).toEqual([]);
      expect(read.jobs).toEqual([{ delivery: "retry", job }]);
    } finally {
      await log.close();
    }
  });
});
