import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";

const AT = "2026-11-21T05:00:00.000Z";
const job = (number: number) => ({ trigger: "label", repo: "root/example", number, isPull: false, sender: "root" });
const accepted = (delivery: string, number: number) => JSON.stringify({ type: "accepted", delivery, received_at: AT, event: "issues", event_type: "issue_label", job: job(number) });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-accepted-twice-"));
  await mkdir(join(dir, "inbox"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("recovery of a delivery accepted twice (an edited log)", () => {
  it("runs its later accepted line, at that line's place in log order", async () => {
    const lines = [accepted("twice", 1), accepted("other", 2), accepted("twice", 3)];
    const laterStart = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
    const otherStart = Buffer.byteLength(`${lines[0]}\n`);
    await writeFile(join(dir, "inbox", "deliveries.jsonl"), `${lines.join("\n")}\n`);

    const plain = await DeliveryLog.open(dir);
    try {
      expect(plain.recovered.unfinished).toEqual([
        { delivery: "other", start: otherStart },
        { delivery: "twice", start: laterStart },
      ]);
      const read = await plain.log.readUnfinished(plain.recovered.unfinished, 0, 10);
      expect(read.damaged).toEqual([]);
      expect(read.jobs).toEqual([
        { delivery: "other", job: job(2) },
        { delivery: "twice", job: job(3) },
      ]);
    } finally {
      await plain.log.close();
    }
  });
});
