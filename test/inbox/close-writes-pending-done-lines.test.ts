import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";

const AT = "2026-11-21T05:00:00.000Z";
const job = { trigger: "label" as const, repo: "root/example", number: 7, isPull: false, sender: "root" };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-close-lazy-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("closing the inbox with `done` lines not yet written", () => {
  it("writes them before it closes, so the next start does not run the finished job again", async () => {
    const { log } = await DeliveryLog.open(dir);
    await log.append({ type: "accepted", delivery: "d-7", received_at: AT, event: "issues", event_type: "issue_label", job });
    log.appendEventually({ type: "done", delivery: "d-7", at: AT, proposals: [] });
    // Closed at once: well before the lazy flush would have written the line on its own.
    const closed = await Promise.race([log.close().then(() => "closed"), new Promise((resolve) => setTimeout(() => resolve("still open"), 2_000))]);
    expect(closed).toBe("closed");
    const lines = (await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8")).trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; delivery: string });
    expect(lines.map((line) => `${line.type} ${line.delivery}`)).toEqual(["accepted d-7", "done d-7"]);
    const again = await DeliveryLog.open(dir);
    await again.log.close();
    expect(again.recovered.unfinished).toEqual([]);
  });
});
