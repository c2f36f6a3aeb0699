import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentKey } from "../../src/inbox/content-key.js";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";

/**
 * The content key (event headers + the payload's verified HMAC) each accepted or ignored line keeps,
 * so that a Forgejo redelivery, which comes under a new delivery id, is recognised after a restart
 * and after a compaction. Lines written before the field existed recover as they always did.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-keys-"));
  await mkdir(join(dir, "inbox"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const file = () => join(dir, "inbox", "deliveries.jsonl");
const now = Date.parse("2026-12-31T00:00:00.000Z");
const daysAgo = (days: number) => new Date(now - days * 24 * 60 * 60 * 1000).toISOString();
const hmac = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
const job = { trigger: "label", repo: "root/example", number: 3, isPull: false, sender: "root" };

const accepted = (delivery: string, at: string, payloadHmac?: string) =>
  JSON.stringify({ type: "accepted", delivery, received_at: at, event: "issues", event_type: "issue_label", ...(payloadHmac === undefined ? {} : { payload_hmac: payloadHmac }), job });
const ignored = (delivery: string, at: string, payloadHmac?: string) =>
  JSON.stringify({ type: "ignored", delivery, received_at: at, event: "release", event_type: "release", ...(payloadHmac === undefined ? {} : { payload_hmac: payloadHmac }), reason: "event `release` is not a trigger" });
const done = (delivery: string, at: string) => JSON.stringify({ type: "done", delivery, at, proposals: ["p_1"] });

describe("DeliveryLog recovery: content keys", () => {
  it("rebuilds them from accepted and ignored lines, and recovers lines of older versions, which have none", async () => {
    await writeFile(file(), [accepted("new-accepted", daysAgo(1), hmac(1)), done("new-accepted", daysAgo(1)), ignored("new-ignored", daysAgo(1), hmac(2)), accepted("old-unfinished", daysAgo(1)), ignored("old-ignored", daysAgo(1))].map((l) => `${l}\n`).join(""));
    const { log, recovered } = await DeliveryLog.open(dir);
    const read = await log.readUnfinished(recovered.unfinished, 0, 10);
    await log.close();
    expect(recovered.seen).toEqual(new Set(["new-accepted", "new-ignored", "old-unfinished", "old-ignored"]));
    expect(recovered.contents).toEqual(new Set([contentKey("issues", "issue_label", hmac(1)), contentKey("release", "release", hmac(2))]));
    expect(read.jobs).toEqual([{ delivery: "old-unfinished", job }]);
  });

  it("refuses a line whose payload_hmac is not a SHA-256 digest in hex, as any other damaged line", async () => {
    await writeFile(file(), `${accepted("ok", daysAgo(1), hmac(1))}\n${accepted("bad", daysAgo(1), "not-a-digest")}\n`);
    await expect(DeliveryLog.open(dir)).rejects.toThrow(/\/inbox\/deliveries\.jsonl: line 2 is not a delivery record/);
  });

  it("keeps the content keys of the deliveries a compaction keeps, and forgets those it forgets", async () => {
    const lines = [
      accepted("old-done", daysAgo(45), hmac(1)),
      done("old-done", daysAgo(45)),
      ignored("old-ignored", daysAgo(45), hmac(2)),
      accepted("old-unfinished", daysAgo(400), hmac(3)),
      accepted("recent", daysAgo(2), hmac(4)),
      done("recent", daysAgo(2)),
      ignored("recent-ignored", daysAgo(2), hmac(5)),
      accepted("recent-older-version", daysAgo(2)),
    ];
    await writeFile(file(), lines.map((l) => `${l}\n`).join(""));
    const { log, recovered } = await DeliveryLog.open(dir, { readChunkBytes: 29, compaction: { now, thresholdBytes: 64 } });
    await log.close();
    expect(recovered.compaction).toMatchObject({ linesDropped: 3 });
    expect(recovered.seen).toEqual(new Set(["old-unfinished", "recent", "recent-ignored", "recent-older-version"]));
    expect(recovered.contents).toEqual(new Set([contentKey("issues", "issue_label", hmac(3)), contentKey("issues", "issue_label", hmac(4)), contentKey("release", "release", hmac(5))]));
    // The rewritten log keeps the field, so the next start knows the same keys.
    expect(await readFile(file(), "utf8")).toContain(`"payload_hmac":"${hmac(4)}"`);
    const again = await DeliveryLog.open(dir);
    await again.log.close();
    expect(again.recovered.contents).toEqual(recovered.contents);
  });
});
