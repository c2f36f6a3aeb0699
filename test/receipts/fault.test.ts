import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { startChild, waitForOutput } from "../locks/spawn.js";
import { tempDirs } from "./helpers.js";

/**
 * Issue #5 §4, the append half of the fault test: processes appending with fsync are killed with
 * SIGKILL at random moments, three alive at any time, until over a thousand receipts were written.
 * After every kill and at the end: the chain verifies (a torn final line at most, which the next
 * writer sets aside), seqs are contiguous, no receipt is duplicated, and every append a process saw
 * return is in the log.
 */
const WORKER = fileURLToPath(new URL("./fixtures/append-worker.mjs", import.meta.url));
const temp = tempDirs("fault");
const TARGET = 1000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const WRITERS = 3;
const MIN_KILLS = 40;

describe("killing appending processes at random", () => {
  it("leaves a log that verifies, with every acknowledged receipt and no duplicate", { timeout: 120_000 }, async () => {
    const dataDir = await temp();
    const log = `${dataDir}/receipts/receipts.jsonl`;
    const head = `${dataDir}/receipts/receipts.head`;
    const acknowledged = new Set<string>();
    let receipts = 0;
    let kills = 0;
    let tornSeen = 0;

    /** One worker's life: start, (usually) append a while, die by SIGKILL; then collect what it acknowledged. */
    const lifetime = async (name: string): Promise<void> => {
      const child = startChild(WORKER, [dataDir, name]);
      // One kill in five lands while the process starts or opens (and repairs) the log; the rest
      // at a random moment after it has begun appending.
      if (Math.random() < 0.2) await sleep(10 + Math.random() * 250);
      else await waitForOutput(child, "ok ", 20_000).then(() => sleep(Math.random() * 300));
      child.process.kill("SIGKILL");
      await child.exited;
      kills++;
      // Only whole lines: a kill mid-print leaves half an acknowledgement, which proves nothing.
      for (const line of child.stdout().split("\n").slice(0, -1)) {
        if (line.startsWith("ok ")) for (const id of line.slice(3).split(" ")) acknowledged.add(id);
      }
    };

    // Three processes at all times, each replaced as soon as it is killed, until a thousand receipts
    // and at least MIN_KILLS kills.
    const live = new Map<string, Promise<void>>();
    let started = 0;
    while (receipts < TARGET || kills < MIN_KILLS) {
      expect(kills, "kills needed to reach the target").toBeLessThan(1000);
      while (live.size < WRITERS) {
        const name = `w${++started}`;
        live.set(name, lifetime(name).then(() => void live.delete(name)));
      }
      await Promise.race(live.values());
      // Verify beside the live writers: read-only, it must never see more than a torn final line.
      const report = await verifyReceiptLog({ log, head, requireHead: true });
      // Until the first writer has anchored the folder there is no receipt log at all, which is no
      // damage but not `intact` either.
      const notYet = receipts === 0 && report.problem?.kind === "log_missing";
      if (!notYet) expect(report.problem, `after ${kills} kills`).toBeNull();
      if (report.tornTail !== null) tornSeen++;
      receipts = report.receipts;
    }
    await Promise.all(live.values());

    // The next start sets any torn tail aside; then everything must hold.
    const reopened = await ReceiptLog.open(dataDir);
    const final = await reopened.verify();
    expect(final).toMatchObject({ ok: true, tornTail: null, firstSeq: 1 });
    expect(final.lastSeq).toBe(final.receipts);
    expect(final.receipts).toBeGreaterThanOrEqual(TARGET);

    const lines = (await readFile(log, "utf8")).split("\n").filter((line) => line !== "");
    const parsed = lines.map((line) => JSON.parse(line) as { seq: number; proposal_id: string });
    expect(parsed.map((r) => r.seq)).toEqual(parsed.map((_, i) => i + 1));
    const ids = parsed.map((r) => r.proposal_id);
    expect(new Set(ids).size, "no receipt is duplicated").toBe(ids.length);
    const logged = new Set(ids);
    expect([...acknowledged].filter((id) => !logged.has(id)), "acknowledged receipts missing from the log").toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(TARGET / 2);

    // What was set aside is only what no process saw acknowledged.
    const torn = (await readdir(reopened.paths.dir)).filter((name) => name.startsWith("torn-"));
    for (const name of torn) {
      const text = await readFile(`${reopened.paths.dir}/${name}`, "utf8");
      for (const id of text.match(/p_w\d+_\d+/g) ?? []) expect(acknowledged.has(id), `${id} in ${name}`).toBe(false);
    }
    if (tornSeen > 0) expect(torn.length).toBeGreaterThanOrEqual(1);
  });
});
