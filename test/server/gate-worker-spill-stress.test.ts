// Random batches, `done` riders, failed batches cut back, multi-byte and >64 KiB lines: every accepted job
// runs exactly once, in log order.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";
import { DeliveryLog, type InboxFile } from "../../src/inbox/delivery-log.js";
import type { Logger } from "../../src/observability/logger.js";
import { GateWorker, type WorkerDeps } from "../../src/server/gate-worker.js";

const AT = "2026-11-21T05:00:00.000Z";

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe("stress", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every accepted job runs exactly once, in log order`, async () => {
      const rand = rng(seed);
      const dir = await mkdtemp(join(tmpdir(), "pw-scratch-"));
      const wrapFile = (file: InboxFile): InboxFile => ({
        async write(buffer, offset, length) {
          if (rand() < 0.15) {
            await file.write(buffer, offset, Math.max(1, Math.floor(length / 2)));
            throw new Error("ENOSPC");
          }
          return file.write(buffer, offset, length);
        },
        truncate: (n) => file.truncate(n),
        datasync: () => file.datasync(),
        stat: () => file.stat(),
        close: () => file.close(),
      });
      const { log } = await DeliveryLog.open(dir, { wrapFile });
      const ran: number[] = [];
      const reader = {
        issue: async (_repo: string, number: number) => {
          ran.push(number);
          await new Promise((r) => setTimeout(r, rand() < 0.5 ? 0 : 2));
          throw new Error("stub");
        },
      } as unknown as ForgejoReader;
      const errors: string[] = [];
      const quiet = () => {};
      const logger = { info: quiet, warn: quiet, error: (e: string) => void errors.push(e), debug: quiet } as unknown as Logger;
      const worker = new GateWorker({ reader, inbox: log, log: logger, now: () => Date.parse(AT), fetch: {}, policyGlobs: [], readAccepted: (f: number, t: number, l: number) => log.readAccepted(f, t, l), maxQueued: 3 } as unknown as WorkerDeps);
      const acceptedOrder: number[] = [];
      const tasks: Promise<void>[] = [];
      for (let n = 1; n <= 300; n++) {
        const big = rand() < 0.05;
        const repo = big ? `root/${"é".repeat(40_000)}` : `root/ex-ü-${n}`;
        const job: IssueJob = { trigger: "label", repo, number: n, isPull: false, sender: "röot" };
        if (rand() < 0.2) {
          tasks.push(log.append({ type: "ignored", delivery: `i-${n}`, received_at: AT, event: "issues", event_type: "issues", reason: "ñ".repeat(Math.floor(rand() * 100)) }).then(() => {}, () => {}));
        }
        tasks.push(
          log.append({ type: "accepted", delivery: `d-${n}`, received_at: AT, event: "issues", event_type: "issue_label", job }).then(
            (span) => {
              acceptedOrder.push(n);
              worker.enqueue(`d-${n}`, job, false, span);
            },
            () => {},
          ),
        );
        if (rand() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(rand() * 4)));
      }
      let maxBacklog = 0; const t = setInterval(() => { maxBacklog = Math.max(maxBacklog, worker.backlog - worker.held); }, 1);
      await Promise.all(tasks);
      await worker.idle();
      expect(errors.filter((e) => e !== "job.failed")).toEqual([]);
      expect(ran).toEqual(acceptedOrder);
      clearInterval(t); console.log("accepted", acceptedOrder.length, "max spilled", maxBacklog);
      expect(worker.backlog).toBe(0);
      await log.close();
      await rm(dir, { recursive: true, force: true });
    });
  }
});
