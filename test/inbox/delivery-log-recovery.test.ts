import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog, type RecoveredInbox } from "../../src/inbox/delivery-log.js";
import { InboxDamagedError } from "../../src/inbox/inbox-damaged-error.js";
import { DEFAULT_CHUNK_BYTES } from "../../src/inbox/read-lines.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-"));
  await mkdir(join(dir, "inbox"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const file = () => join(dir, "inbox", "deliveries.jsonl");
const at = "2026-11-21T05:00:00.000Z";
const accepted = (delivery: string, repo = "root/example-push") =>
  JSON.stringify({ type: "accepted", delivery, received_at: at, event: "issues", event_type: "issue_label", job: { trigger: "label", repo, number: 3, isPull: false, sender: "root" } });
const ignored = (delivery: string) => JSON.stringify({ type: "ignored", delivery, received_at: at, event: "release", event_type: "release", reason: "event `release` is not a trigger — ü 🙂" });
const done = (delivery: string) => JSON.stringify({ type: "done", delivery, at, proposals: [] });

/** Every third delivery ignored, every accepted one but each fifth done: lines of differing lengths, some with multi-byte characters. */
function history(count: number): { lines: string[]; unfinished: string[] } {
  const lines: string[] = [];
  const unfinished: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `d-${i}`;
    if (i % 3 === 0) {
      lines.push(ignored(id));
      continue;
    }
    lines.push(accepted(id, `root/repo-${"x".repeat(i % 17)}`));
    if (i % 5 === 0) unfinished.push(id);
    else lines.push(done(id));
  }
  return { lines, unfinished };
}

async function recover(readChunkBytes?: number): Promise<RecoveredInbox> {
  const { log, recovered } = await DeliveryLog.open(dir, readChunkBytes === undefined ? {} : { readChunkBytes });
  await log.close();
  return recovered;
}

/** The jobs of the unfinished deliveries, read back where recovery says their lines start. */
async function unfinishedJobs(recovered: RecoveredInbox) {
  const { log } = await DeliveryLog.open(dir);
  try {
    return await log.readUnfinished(recovered.unfinished, 0, Infinity);
  } finally {
    await log.close();
  }
}

describe("DeliveryLog recovery: the inbox read back line by line", () => {
  it("recovers a log of many chunks, its lines cut across them, as it recovers one read whole", async () => {
    const { lines, unfinished } = history(600);
    await writeFile(file(), `${lines.join("\n")}\n`);
    expect((await stat(file())).size).toBeGreaterThan(2 * DEFAULT_CHUNK_BYTES);
    const inSmallChunks = await recover(61);
    const inDefaultChunks = await recover();
    const inOneChunk = await recover(1 << 24);
    for (const recovered of [inSmallChunks, inDefaultChunks, inOneChunk]) {
      expect(recovered.seen.size).toBe(600);
      expect(recovered.unfinished.map((u) => u.delivery)).toEqual(unfinished);
      expect(recovered.tornTail).toBeNull();
    }
    expect(inSmallChunks.unfinished).toEqual(inOneChunk.unfinished);
    const read = await unfinishedJobs(inSmallChunks);
    expect(read.damaged).toEqual([]);
    expect(read.next).toBe(unfinished.length);
    expect(read.jobs.map((j) => j.delivery)).toEqual(unfinished);
    expect(read.jobs[1]!.job).toEqual({ trigger: "label", repo: `root/repo-${"x".repeat(10)}`, number: 3, isPull: false, sender: "root" });
  });

  it("sets a torn final line aside byte for byte and cuts the log back to its last whole line", async () => {
    const { lines } = history(40);
    const whole = `${lines.join("\n")}\n`;
    const torn = '{"type":"ignored","delivery":"t-1","reason":"ü 🙂 cut he';
    await writeFile(file(), whole + torn);
    const recovered = await recover(5);
    expect(recovered.tornTail).toBe(torn);
    expect(recovered.seen.has("t-1")).toBe(false);
    expect(recovered.seen.size).toBe(40);
    const aside = (await readdir(join(dir, "inbox"))).filter((name) => name.startsWith("deliveries.torn-"));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, "inbox", aside[0]!), "utf8")).toBe(torn);
    expect(await readFile(file(), "utf8")).toBe(whole);
  });

  it("refuses a damaged line anywhere, naming its line number, blank lines counted", async () => {
    const { lines } = history(300);
    lines.splice(200, 0, "", '{"type":"accepted","delivery":"x"}');
    await writeFile(file(), `${lines.join("\n")}\n`);
    for (const chunk of [7, undefined]) {
      const refused = recover(chunk);
      await expect(refused).rejects.toBeInstanceOf(InboxDamagedError);
      await expect(refused).rejects.toThrow(
        `${file()}: line 202 is not a delivery record; the log was edited or damaged: keep a copy of the file, then mend or delete that line and start again (every other line's delivery is kept; a delivery on that line is neither deduplicated nor evaluated, so ask for its check again)`,
      );
    }
  });

  it("runs a failed evaluation again at the next start, until it has failed three times", async () => {
    const failedDone = (delivery: string) => JSON.stringify({ type: "done", delivery, at, proposals: [], note: "evaluation failed: ENOSPC", failed: true });
    const lines = [
      accepted("once"), failedDone("once"),
      accepted("twice"), failedDone("twice"), failedDone("twice"),
      accepted("thrice"), failedDone("thrice"), failedDone("twice"), failedDone("thrice"), failedDone("thrice"),
      // A later success finishes it whatever failed before.
      accepted("then-ok"), failedDone("then-ok"), done("then-ok"),
    ];
    await writeFile(file(), `${lines.join("\n")}\n`);
    const recovered = await recover();
    expect(recovered.unfinished.map((u) => u.delivery)).toEqual(["once"]);
    // `twice` failed a third time among the later lines: given up too.
    expect(recovered.seen).toEqual(new Set(["once", "twice", "thrice", "then-ok"]));
  });

  it("starts empty when there is no log yet, and from an empty one", async () => {
    expect(await recover()).toEqual({ seen: new Set(), contents: new Set(), unfinished: [], tornTail: null, compaction: null });
    await writeFile(file(), "");
    expect(await recover(3)).toEqual({ seen: new Set(), contents: new Set(), unfinished: [], tornTail: null, compaction: null });
  });
});
