import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import { DeliveryLog, type LineSpan } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";

const AT = "2026-11-21T05:00:00.000Z";
const job = (number: number): IssueJob => ({ trigger: "label", repo: "root/example", number, isPull: false, sender: "root" });
const accepted = (n: number): DeliveryRecord => ({ type: "accepted", delivery: `d-${n}`, received_at: AT, event: "issues", event_type: "issue_label", payload_hmac: n.toString(16).padStart(64, "0"), job: job(n) });
const ignored = (n: number): DeliveryRecord => ({ type: "ignored", delivery: `i-${n}`, received_at: AT, event: "issues", event_type: "issues", reason: "not a trigger: ünïcode in a reason" });

let dir: string;
let log: DeliveryLog;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-readback-"));
  log = (await DeliveryLog.open(dir)).log;
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

describe("DeliveryLog: where each appended line lies", () => {
  it("resolves each append with its own byte span, in one batch and across batches, riders included", async () => {
    log.appendEventually({ type: "done", delivery: "earlier", at: AT, proposals: [] });
    const records = [accepted(1), ignored(2), accepted(3)];
    const spans = await Promise.all(records.map((record) => log.append(record)));
    spans.push(await log.append(accepted(4)));
    records.push(accepted(4));
    const bytes = await readFile(log.path);
    records.forEach((record, i) => {
      const span = spans[i]!;
      expect(bytes.subarray(span.start, span.end).toString("utf8")).toBe(`${JSON.stringify(record)}\n`);
    });
    // Multi-byte text before a line must not shift it: spans count bytes, not characters.
    expect(spans[2]!.start).toBe(spans[1]!.end);
  });
});

describe("DeliveryLog.readAccepted", () => {
  async function appendAll(records: DeliveryRecord[]): Promise<LineSpan[]> {
    const spans: LineSpan[] = [];
    for (const record of records) spans.push(await log.append(record));
    return spans;
  }

  it("returns the accepted deliveries of a stretch in log order, skipping other lines, at most `limit`", async () => {
    const spans = await appendAll([ignored(0), accepted(1), ignored(2), accepted(3), { type: "done", delivery: "d-1", at: AT, proposals: [] }, accepted(5), accepted(6)]);
    const read = await log.readAccepted(spans[1]!.start, spans[6]!.end, 2);
    expect(read.jobs).toEqual([
      { delivery: "d-1", job: job(1) },
      { delivery: "d-3", job: job(3) },
    ]);
    // Where to go on from: the first accepted line not returned.
    expect(read.next).toBe(spans[5]!.start);
    const rest = await log.readAccepted(read.next, spans[6]!.end, 2);
    expect(rest.jobs.map((j) => j.delivery)).toEqual(["d-5", "d-6"]);
    expect(rest.next).toBe(spans[6]!.end);
  });

  it("reads nothing past the end it is given, though the file goes on", async () => {
    const spans = await appendAll([accepted(1), accepted(2), accepted(3)]);
    const read = await log.readAccepted(spans[0]!.start, spans[1]!.end, 10);
    expect(read.jobs.map((j) => j.delivery)).toEqual(["d-1", "d-2"]);
    expect(read.next).toBe(spans[1]!.end);
  });

  it("reads a stretch longer than one read chunk", async () => {
    const records = Array.from({ length: 400 }, (_, i) => accepted(i + 1));
    const spans = await appendAll(records);
    expect(spans.at(-1)!.end).toBeGreaterThan(64 * 1024);
    const read = await log.readAccepted(spans[0]!.start, spans.at(-1)!.end, 350);
    expect(read.jobs.map((j) => j.delivery)).toEqual(records.slice(0, 350).map((r) => r.delivery));
    expect(read.next).toBe(spans[350]!.start);
  });

  it("reports a line that is no record (damaged on disk after it was written) by its offset, and returns the jobs around it", async () => {
    const spans = await appendAll([accepted(1), accepted(2), accepted(3)]);
    const middle = spans[1]!;
    const file = await open(log.path, "r+");
    await file.write(Buffer.alloc(middle.end - middle.start - 1, "#"), 0, middle.end - middle.start - 1, middle.start);
    await file.close();
    const read = await log.readAccepted(spans[0]!.start, spans[2]!.end, 10);
    expect(read.jobs.map((j) => j.delivery)).toEqual(["d-1", "d-3"]);
    expect(read.damaged).toEqual([middle.start]);
  });
});

describe("DeliveryLog.readUnfinished", () => {
  async function appendAll(records: DeliveryRecord[]): Promise<LineSpan[]> {
    const spans: LineSpan[] = [];
    for (const record of records) spans.push(await log.append(record));
    return spans;
  }
  const done = (n: number): DeliveryRecord => ({ type: "done", delivery: `d-${n}`, at: AT, proposals: [] });

  it("returns the listed deliveries' jobs in order, at most `limit`, and says where to go on from", async () => {
    const records = Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? done(i) : accepted(i)));
    const spans = await appendAll(records);
    const unfinished = records.flatMap((record, i) => (record.type === "accepted" && i % 2 === 0 ? [{ delivery: record.delivery, start: spans[i]!.start }] : []));
    expect(spans.at(-1)!.end).toBeGreaterThan(64 * 1024);
    const first = await log.readUnfinished(unfinished, 0, 40);
    expect(first).toEqual({ jobs: unfinished.slice(0, 40).map((u) => ({ delivery: u.delivery, job: job(Number(u.delivery.slice(2))) })), next: 40, damaged: [] });
    const rest = await log.readUnfinished(unfinished, first.next, 1_000);
    expect(rest.jobs.map((j) => j.delivery)).toEqual(unfinished.slice(40).map((u) => u.delivery));
    expect(rest.next).toBe(unfinished.length);
    expect(await log.readUnfinished(unfinished, rest.next, 10)).toEqual({ jobs: [], next: unfinished.length, damaged: [] });
  });

  it("reports a listed offset that is no line's start, or another delivery's line, and reads on past it", async () => {
    const spans = await appendAll([accepted(1), accepted(2), accepted(3), accepted(4)]);
    const unfinished = [
      { delivery: "d-1", start: spans[0]!.start },
      { delivery: "d-2", start: spans[1]!.start + 5 },
      { delivery: "d-9", start: spans[2]!.start },
      { delivery: "d-4", start: spans[3]!.start },
    ];
    const read = await log.readUnfinished(unfinished, 0, 10);
    expect(read.jobs.map((j) => j.delivery)).toEqual(["d-1", "d-4"]);
    expect(read.damaged).toEqual([spans[1]!.start + 5, spans[2]!.start]);
    expect(read.next).toBe(4);
  });

  it("reports listed lines past the log's end (a cut log) rather than waiting for them", async () => {
    const spans = await appendAll([accepted(1), accepted(2)]);
    const beyond = spans[1]!.end + 100;
    const read = await log.readUnfinished([{ delivery: "d-2", start: spans[1]!.start }, { delivery: "d-3", start: beyond }], 0, 10);
    expect(read).toEqual({ jobs: [{ delivery: "d-2", job: job(2) }], next: 2, damaged: [beyond] });
  });
});
