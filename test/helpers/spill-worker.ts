/** A GateWorker over a real inbox for the read-back tests (gate-worker-spill*.test.ts). */
import type { IssueJob } from "../../src/forgejo/jobs.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";
import type { Logger } from "../../src/observability/logger.js";
import { GateWorker, type WorkerDeps } from "../../src/server/gate-worker.js";

export const AT = "2026-11-21T05:00:00.000Z";
export const job = (number: number): IssueJob => ({ trigger: "label", repo: "root/example", number, isPull: false, sender: "root" });
export const accepted = (n: number): DeliveryRecord => ({ type: "accepted", delivery: `d-${n}`, received_at: AT, event: "issues", event_type: "issue_label", job: job(n) });

/** A worker over a real inbox; each evaluation records its number and time, waits on `gate` (if any), then fails (marked done). */
export function makeWorker(log: DeliveryLog, extra: Partial<WorkerDeps> & { gate?: () => Promise<void>; spill?: boolean } = {}) {
  const ran: Array<{ n: number; at: number }> = [];
  const errors: string[] = [];
  const reader = {
    issue: async (_repo: string, number: number) => {
      ran.push({ n: number, at: performance.now() });
      await (extra.gate?.() ?? new Promise((resolve) => setImmediate(resolve)));
      throw new Error("stub reader");
    },
  } as unknown as ForgejoReader;
  const quiet = () => {};
  const logger = { info: quiet, warn: quiet, error: (event: string) => void errors.push(event), debug: quiet } as unknown as Logger;
  const { gate: _g, spill = true, ...rest } = extra;
  const deps = {
    reader, inbox: log, log: logger, now: () => Date.parse(AT), fetch: {}, policyGlobs: [],
    ...(spill ? { readAccepted: (f: number, t: number, l: number) => log.readAccepted(f, t, l) } : {}),
    ...rest,
  } as unknown as WorkerDeps;
  return { worker: new GateWorker(deps), ran, errors };
}

export async function accept(log: DeliveryLog, worker: GateWorker, n: number) {
  const span = await log.append(accepted(n));
  worker.enqueue(`d-${n}`, job(n), false, span);
  return span;
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh inbox in its own temporary folder for each test, closed and removed after it; a test may reopen `log`. */
export function tempInbox(): { dir: string; log: DeliveryLog } {
  const inbox = {} as { dir: string; log: DeliveryLog };
  beforeEach(async () => {
    inbox.dir = await mkdtemp(join(tmpdir(), "pw-spill-"));
    inbox.log = (await DeliveryLog.open(inbox.dir)).log;
  });
  afterEach(async () => {
    await inbox.log.close();
    await rm(inbox.dir, { recursive: true, force: true });
  });
  return inbox;
}
