import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog, type InboxFile } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";

type Fault = { kind: "pass" } | { kind: "short"; bytes: number } | { kind: "fail-after"; bytes: number } | { kind: "none-taken" };

/**
 * The real file, with faults put in front of it, one per write in order: a write may take only
 * part of what it is given (those bytes really written), and truncation can be made to fail.
 */
function faulty(faults: Fault[], truncateError?: Error) {
  const seen = { writes: 0, truncatedTo: [] as number[] };
  const wrapFile = (file: InboxFile): InboxFile => ({
    async write(buffer, offset, length) {
      seen.writes++;
      const fault = faults.shift();
      if (fault === undefined || fault.kind === "pass") return file.write(buffer, offset, length);
      if (fault.kind === "none-taken") return { bytesWritten: 0 };
      const { bytesWritten } = await file.write(buffer, offset, Math.min(length, fault.bytes));
      if (fault.kind === "fail-after") throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return { bytesWritten };
    },
    async truncate(length) {
      seen.truncatedTo.push(length);
      if (truncateError !== undefined) throw truncateError;
      return file.truncate(length);
    },
    datasync: () => file.datasync(),
    stat: () => file.stat(),
    close: () => file.close(),
  });
  return { wrapFile, seen };
}

const record = (delivery: string): DeliveryRecord => ({ type: "ignored", delivery, received_at: "2026-11-21T05:00:00.000Z", event: "issues", event_type: "issues", reason: "not a trigger" });
const line = (delivery: string) => `${JSON.stringify(record(delivery))}\n`;

let dir: string;
let log: DeliveryLog | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-"));
});
afterEach(async () => {
  await log?.close();
  log = null;
  await rm(dir, { recursive: true, force: true });
});

const inbox = () => readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8");
async function open(faults: Fault[] = [], truncateError?: Error) {
  const f = faulty(faults, truncateError);
  const opened = await DeliveryLog.open(dir, { wrapFile: f.wrapFile });
  log = opened.log;
  return { log: opened.log, seen: f.seen };
}
async function reopen() {
  await log?.close();
  log = null;
  const opened = await DeliveryLog.open(dir);
  log = opened.log;
  return opened;
}

describe("DeliveryLog appends: every byte of a batch, or none of it", () => {
  it("keeps writing after short writes until the whole batch is on disk", async () => {
    const { log, seen } = await open([
      { kind: "short", bytes: 5 },
      { kind: "short", bytes: 30 },
    ]);
    await expect(log.append(record("d-1"))).resolves.toEqual({ start: 0, end: line("d-1").length });
    expect(seen.writes).toBe(3);
    expect(seen.truncatedTo).toEqual([]);
    expect(await inbox()).toBe(line("d-1"));
  });

  it("cuts a batch that failed after a partial write back off, so later lines follow whole ones", async () => {
    const { log, seen } = await open([{ kind: "pass" }, { kind: "fail-after", bytes: 17 }]);
    await log.append(record("d-1"));
    await expect(log.append(record("d-2"))).rejects.toThrow(/^ENOSPC/);
    expect(seen.truncatedTo).toEqual([line("d-1").length]);
    expect(await inbox()).toBe(line("d-1"));
    await log.append(record("d-3"));
    expect(await inbox()).toBe(line("d-1") + line("d-3"));
    // The next start reads it all back: nothing refused, nothing torn.
    const { recovered } = await reopen();
    expect([...recovered.seen]).toEqual(["d-1", "d-3"]);
    expect(recovered.tornTail).toBeNull();
  });

  it("fails every waiter of a failed batch and none of the batches around it", async () => {
    const { log } = await open([{ kind: "pass" }, { kind: "fail-after", bytes: 40 }]);
    // d-1 is written alone; d-2 and d-3 arrive while it is in flight and share the next write.
    const results = await Promise.allSettled([log.append(record("d-1")), log.append(record("d-2")), log.append(record("d-3"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    await log.append(record("d-4"));
    expect(await inbox()).toBe(line("d-1") + line("d-4"));
  });

  it("fails a write the file system takes no bytes of, instead of asking forever", async () => {
    const { log } = await open([{ kind: "none-taken" }]);
    await expect(log.append(record("d-1"))).rejects.toThrow(/deliveries\.jsonl: the file system took none of the last \d+ bytes of an append; check the disk/);
    await log.append(record("d-2"));
    expect(await inbox()).toBe(line("d-2"));
  });

  it("refuses every later append when the fragment cannot be cut off, and the next start sets it aside", async () => {
    const eio = Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO" });
    const { log } = await open([{ kind: "pass" }, { kind: "fail-after", bytes: 17 }], eio);
    await log.append(record("d-1"));
    expect(log.refusing).toBeNull();
    await expect(log.append(record("d-2"))).rejects.toThrow(/^ENOSPC/);
    // Said where /healthz can read it: the server stays up, but takes no delivery until restarted.
    expect(log.refusing?.message).toMatch(/no delivery is accepted until patchwarden serve restarts/);
    await expect(log.append(record("d-3"))).rejects.toThrow(/deliveries\.jsonl: an append failed \(ENOSPC.*\) and its partial bytes could not be removed \(EIO.*\); no delivery is accepted until patchwarden serve restarts/);
    log.appendEventually({ type: "done", delivery: "d-1", at: "2026-11-21T05:00:01.000Z", proposals: [] });
    await expect(log.append(record("d-4"))).rejects.toThrow(/could not be removed/);
    // Nothing was appended after the fragment.
    expect(await inbox()).toBe(line("d-1") + line("d-2").slice(0, 17));
    const restarted = await reopen();
    expect(restarted.log.refusing).toBeNull();
    expect([...restarted.recovered.seen]).toEqual(["d-1"]);
    expect(restarted.recovered.tornTail).toBe(line("d-2").slice(0, 17));
    expect((await readdir(join(dir, "inbox"))).filter((name) => name.startsWith("deliveries.torn-"))).toHaveLength(1);
    await restarted.log.append(record("d-5"));
    expect(await inbox()).toBe(line("d-1") + line("d-5"));
  });
});
