import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compactLog, keepsDelivery } from "../../src/inbox/compact-log.js";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";

// Lets one test make the rename over the log fail; every other call is the real one.
const faults = vi.hoisted(() => ({ failRename: false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (faults.failRename) throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), { code: "EIO" });
      return real.rename(from, to);
    },
  };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-"));
  await mkdir(join(dir, "inbox"));
  faults.failRename = false;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const file = () => join(dir, "inbox", "deliveries.jsonl");
const folderNames = async () => (await readdir(join(dir, "inbox"))).sort();

const now = Date.parse("2026-12-31T00:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(now - days * DAY).toISOString();
const OLD = daysAgo(45);
const RECENT = daysAgo(2);

const job = { trigger: "label", repo: "root/example", number: 3, isPull: false, sender: "root" };
const accepted = (delivery: string, receivedAt: string) => JSON.stringify({ type: "accepted", delivery, received_at: receivedAt, event: "issues", event_type: "issue_label", job });
const ignored = (delivery: string, receivedAt: string) => JSON.stringify({ type: "ignored", delivery, received_at: receivedAt, event: "release", event_type: "release", reason: "event `release` is not a trigger — ü 🙂" });
const done = (delivery: string, at: string) => JSON.stringify({ type: "done", delivery, at, proposals: ["p_1"] });

/** Old and recent deliveries interleaved, as a long-running server writes them; `keep` marks the lines that must survive. */
const lines: Array<{ text: string; keep: boolean }> = [
  { text: accepted("old-done", OLD), keep: false },
  { text: ignored("old-ignored", OLD), keep: false },
  { text: accepted("old-unfinished", daysAgo(400)), keep: true },
  { text: accepted("recent-done", RECENT), keep: true },
  // The old delivery's `done` comes after a recent one's line: it goes with its delivery, not its place.
  { text: done("old-done", RECENT), keep: false },
  { text: "", keep: false },
  { text: accepted("at-cutoff", daysAgo(30)), keep: true },
  { text: done("at-cutoff", daysAgo(29)), keep: true },
  { text: accepted("unreadable-time", "sometime last winter"), keep: true },
  { text: done("unreadable-time", OLD), keep: true },
  { text: done("done-only", OLD), keep: true },
  { text: done("recent-done", RECENT), keep: true },
  { text: ignored("recent-ignored", RECENT), keep: true },
];
const whole = lines.map((line) => `${line.text}\n`).join("");
const kept = lines.filter((line) => line.keep).map((line) => `${line.text}\n`).join("");
const keptIds = ["old-unfinished", "recent-done", "at-cutoff", "unreadable-time", "done-only", "recent-ignored"];

/** A tiny threshold and read size: the log is "large", and its lines are cut across reads and writes. */
const compaction = { now, thresholdBytes: 64 };
const open = () => DeliveryLog.open(dir, { readChunkBytes: 29, compaction });

describe("DeliveryLog compaction: a large inbox rewritten at start-up to what dedupe and recovery still need", () => {
  it("keeps unfinished and recent deliveries' lines in their order, forgets the rest, and appends after it", async () => {
    await writeFile(file(), whole);
    const { log, recovered } = await open();
    expect(await readFile(file(), "utf8")).toBe(kept);
    expect([...recovered.seen]).toEqual(keptIds);
    // Where the rewritten log holds its line: the first, every earlier line forgotten.
    expect(recovered.unfinished).toEqual([{ delivery: "old-unfinished", start: 0 }]);
    expect(await log.readUnfinished(recovered.unfinished, 0, 10)).toEqual({ jobs: [{ delivery: "old-unfinished", job }], next: 1, damaged: [] });
    expect(recovered.tornTail).toBeNull();
    expect(recovered.compaction).toEqual({ linesKept: 9, linesDropped: 4, bytesBefore: Buffer.byteLength(whole), bytesAfter: Buffer.byteLength(kept) });
    // Neither the temp file nor any other is left beside the log.
    expect(await folderNames()).toEqual(["deliveries.jsonl"]);

    const later: DeliveryRecord = { type: "ignored", delivery: "after", received_at: daysAgo(0), event: "push", event_type: "push", reason: "no trigger" };
    await log.append(later);
    await log.close();
    expect(await readFile(file(), "utf8")).toBe(`${kept}${JSON.stringify(later)}\n`);

    // Compacting what is already compact drops nothing and changes no byte.
    const again = await open();
    await again.log.close();
    expect([...again.recovered.seen]).toEqual([...keptIds, "after"]);
    expect(again.recovered.unfinished).toEqual(recovered.unfinished);
    expect(again.recovered.compaction).toMatchObject({ linesDropped: 0, linesKept: 10 });
    expect(again.recovered.compaction!.bytesAfter).toBe(again.recovered.compaction!.bytesBefore);
    expect(await readFile(file(), "utf8")).toBe(`${kept}${JSON.stringify(later)}\n`);
  });

  it("leaves a log of no more than the threshold untouched, byte for byte, and forgets nothing", async () => {
    await writeFile(file(), whole);
    const before = await stat(file());
    const { log, recovered } = await DeliveryLog.open(dir, { compaction: { now, thresholdBytes: Buffer.byteLength(whole) } });
    await log.close();
    expect(recovered.compaction).toBeNull();
    expect(await readFile(file(), "utf8")).toBe(whole);
    expect((await stat(file())).ino).toBe(before.ino);
    expect(recovered.seen).toEqual(new Set([...keptIds, "old-done", "old-ignored"]));
  });

  it("never compacts without a clock, however large the log", async () => {
    await writeFile(file(), whole);
    const { log, recovered } = await DeliveryLog.open(dir, { readChunkBytes: 29 });
    await log.close();
    expect(recovered.compaction).toBeNull();
    expect(await readFile(file(), "utf8")).toBe(whole);
  });

  it("sets a torn final line aside first, then compacts the whole lines", async () => {
    const torn = '{"type":"ignored","delivery":"torn","received_at":"2026-12-30T';
    await writeFile(file(), whole + torn);
    const { log, recovered } = await open();
    await log.close();
    expect(recovered.tornTail).toBe(torn);
    expect(recovered.seen.has("torn")).toBe(false);
    expect(recovered.compaction).toMatchObject({ bytesBefore: Buffer.byteLength(whole), bytesAfter: Buffer.byteLength(kept) });
    expect(await readFile(file(), "utf8")).toBe(kept);
    const names = await folderNames();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe("deliveries.jsonl");
    expect(names[1]).toMatch(/^deliveries\.torn-\d+\.jsonl$/);
    expect(await readFile(join(dir, "inbox", names[1]!), "utf8")).toBe(torn);
  });

  it("keeps the old log whole, uses it as it is, and removes its temp file when the rename fails", async () => {
    await writeFile(file(), whole);
    faults.failRename = true;
    const failed = await open();
    await failed.log.close();
    expect(failed.recovered.compaction).toBeNull();
    expect(failed.recovered.compactionError).toMatch(/^EIO: i\/o error, rename/);
    // Nothing forgotten: every id of the whole log still deduplicates.
    expect(failed.recovered.seen.size).toBe(keptIds.length + 2);
    expect(await readFile(file(), "utf8")).toBe(whole);
    expect(await folderNames()).toEqual(["deliveries.jsonl"]);
    // The next start, the fault gone, compacts as if nothing had happened.
    faults.failRename = false;
    const { log, recovered } = await open();
    await log.close();
    expect([...recovered.seen]).toEqual(keptIds);
    expect(await readFile(file(), "utf8")).toBe(kept);
  });

  it("removes a temp file a crashed compaction left, and never reads it as the log", async () => {
    await writeFile(file(), whole);
    await writeFile(join(dir, "inbox", ".deliveries.jsonl.compacting"), kept.slice(0, 40));
    const { log, recovered } = await DeliveryLog.open(dir, { compaction: { now } });
    await log.close();
    expect(recovered.compaction).toBeNull();
    expect(recovered.seen.size).toBe(keptIds.length + 2);
    expect(await folderNames()).toEqual(["deliveries.jsonl"]);
    expect(await readFile(file(), "utf8")).toBe(whole);
  });
});

describe("compactLog: another writer between recovery and the rewrite", () => {
  const parse = (line: string): DeliveryRecord => JSON.parse(line) as DeliveryRecord;

  it("replaces nothing when the log is not the size recovery read, and removes its temp file", async () => {
    // Recovery read `whole`; a line appended since then would be lost by the rewrite.
    const appended = ignored("appended-meanwhile", RECENT);
    await writeFile(file(), `${whole}${appended}\n`);
    const expectedBytes = Buffer.byteLength(whole);
    const actualBytes = expectedBytes + Buffer.byteLength(appended) + 1;
    await expect(compactLog(file(), { unfinished: new Set(), cutoff: now - 30 * DAY, expectedBytes, chunkBytes: 29, parse }))
      .rejects.toThrow(`${file()}: changed while it was being compacted (${actualBytes} bytes, not ${expectedBytes}); stop any other process writing to it, then restart`);
    expect(await readFile(file(), "utf8")).toBe(`${whole}${appended}\n`);
    expect(await folderNames()).toEqual(["deliveries.jsonl"]);
  });

  it("rewrites when the log is exactly the size recovery read", async () => {
    await writeFile(file(), whole);
    const result = await compactLog(file(), { unfinished: new Set(["old-unfinished"]), cutoff: now - 30 * DAY, expectedBytes: Buffer.byteLength(whole), chunkBytes: 29, parse });
    expect(result.compaction).toEqual({ linesKept: 9, linesDropped: 4, bytesBefore: Buffer.byteLength(whole), bytesAfter: Buffer.byteLength(kept) });
    expect(await readFile(file(), "utf8")).toBe(kept);
  });
});

describe("keepsDelivery: a delivery judged by its first line", () => {
  const cutoff = now - 30 * DAY;
  const first = (line: string) => JSON.parse(line) as DeliveryRecord;

  it("forgets a finished delivery first received before the cutoff, and only that", () => {
    expect(keepsDelivery(first(accepted("a", OLD)), false, cutoff)).toBe(false);
    expect(keepsDelivery(first(ignored("i", OLD)), false, cutoff)).toBe(false);
    expect(keepsDelivery(first(accepted("a", new Date(cutoff).toISOString())), false, cutoff)).toBe(true);
    expect(keepsDelivery(first(ignored("i", RECENT)), false, cutoff)).toBe(true);
  });

  it("keeps an unfinished delivery of any age, and one whose time cannot be read", () => {
    expect(keepsDelivery(first(accepted("a", daysAgo(1000))), true, cutoff)).toBe(true);
    expect(keepsDelivery(first(accepted("a", "")), false, cutoff)).toBe(true);
    // `done` carries `at`, not `received_at`: a log that starts a delivery with it cannot say when it came.
    expect(keepsDelivery(first(done("d", OLD)), false, cutoff)).toBe(true);
  });
});
