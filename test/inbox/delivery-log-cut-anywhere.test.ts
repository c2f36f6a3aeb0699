import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-cut-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const at = "2026-11-21T05:00:00.000Z";
const hmac = (n: number) => n.toString(16).padStart(64, "0");
const accepted = (delivery: string, n: number): DeliveryRecord => ({
  type: "accepted",
  delivery,
  received_at: at,
  event: "issues",
  event_type: "issue_label",
  payload_hmac: hmac(n),
  job: { trigger: "label", repo: `root/repö-${"🙂".repeat(n % 3)}`, number: 3, isPull: false, sender: "ß" },
});
const ignored = (delivery: string, n: number): DeliveryRecord => ({ type: "ignored", delivery, received_at: at, event: "release", event_type: "release", payload_hmac: hmac(n), reason: "event `release` — ü 🙂" });
const done = (delivery: string): DeliveryRecord => ({ type: "done", delivery, at, proposals: ["p_00000000000000000001"], note: "ü" });

describe("the inbox cut at every byte offset, as a kill or power cut could leave it", () => {
  it("starts from a log cut anywhere (at each line end and multi-byte character, every seventh byte between), keeps exactly the whole lines, and takes appends after them", async () => {
    // Write the log the way the server does: appends, riders, multi-byte characters.
    const source = join(dir, "source");
    await mkdir(source);
    const { log } = await DeliveryLog.open(source);
    const records: DeliveryRecord[] = [accepted("d-1", 1), ignored("d-2", 2), accepted("d-3", 3), done("d-1"), accepted("d-4", 4), done("d-3")];
    for (const record of records) await log.append(record);
    await log.close();
    const bytes = await readFile(join(source, "inbox", "deliveries.jsonl"));
    const lineEnds: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lineEnds.push(i + 1);
    expect(lineEnds).toHaveLength(records.length);

    // Every byte near a line's end or inside a multi-byte character, and every seventh elsewhere:
    // the cuts that differ, at a tenth of the time of all of them.
    const near = (i: number) => lineEnds.some((end) => Math.abs(end - i) <= 3) || (bytes[i] ?? 0) >= 0x80 || (bytes[i - 1] ?? 0) >= 0x80;
    const cuts = Array.from({ length: bytes.length + 1 }, (_, i) => i).filter((i) => i % 7 === 0 || near(i) || i === bytes.length);
    for (const cut of cuts) {
      const data = join(dir, `cut-${cut}`);
      await mkdir(join(data, "inbox"), { recursive: true });
      await writeFile(join(data, "inbox", "deliveries.jsonl"), bytes.subarray(0, cut));
      const whole = lineEnds.filter((end) => end <= cut).length;
      const kept = records.slice(0, whole);
      const opened = await DeliveryLog.open(data, { readChunkBytes: 7 });
      const ids = new Set(kept.map((r) => r.delivery));
      expect([...opened.recovered.seen].sort(), `cut at ${cut}`).toEqual([...ids].sort());
      const finished = new Set(kept.filter((r) => r.type === "done").map((r) => r.delivery));
      expect(opened.recovered.unfinished.map((u) => u.delivery), `cut at ${cut}`).toEqual(kept.filter((r) => r.type === "accepted" && !finished.has(r.delivery)).map((r) => r.delivery));
      const wholeEnd = whole === 0 ? 0 : lineEnds[whole - 1]!;
      expect(opened.recovered.tornTail === null, `cut at ${cut}`).toBe(cut === wholeEnd);
      const jobs = await opened.log.readUnfinished(opened.recovered.unfinished, 0, 100);
      expect(jobs.damaged, `cut at ${cut}`).toEqual([]);
      expect(jobs.jobs.map((j) => j.job), `cut at ${cut}`).toEqual(opened.recovered.unfinished.map((u) => (records.find((r) => r.delivery === u.delivery && r.type === "accepted") as { job: unknown }).job));
      // An append after recovery follows the whole lines; a second start reads it back.
      const span = await opened.log.append(accepted("d-after", 99));
      expect(span.start, `cut at ${cut}`).toBe(wholeEnd);
      await opened.log.close();
      const again = await DeliveryLog.open(data);
      expect(again.recovered.tornTail).toBeNull();
      expect(again.recovered.seen.has("d-after")).toBe(true);
      expect(again.recovered.unfinished.at(-1)?.delivery).toBe("d-after");
      await again.log.close();
      if (cut !== wholeEnd) {
        const aside = (await readdir(join(data, "inbox"))).filter((name) => name.startsWith("deliveries.torn-"));
        expect(aside).toHaveLength(1);
        expect(await readFile(join(data, "inbox", aside[0]!))).toEqual(bytes.subarray(wholeEnd, cut));
      }
      await rm(data, { recursive: true, force: true });
    }
  }, 120_000);
});
