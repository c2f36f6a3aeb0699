import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { BundleLimits } from "./artifact-bytes.js";
import { readEvidenceSnapshot } from "./read-evidence.js";
import type { EvidenceSnapshot } from "./snapshot.js";

export interface SettleOptions {
  /** The real clock, epoch ms; never the verdict's `--now`, which may be any time. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The stat taken before and after each read (tests replace it). */
  statFile?: (path: string) => Promise<{ size: number; mtimeMs: number }>;
}

// A bundle modified this recently may still be being written; the writer gets this long to finish.
const QUIET_MS = 2_000;
const MAX_WAIT_MS = 10_000;
const RETRY_MS = 500;
// Timers may fire a little early; waking just after the quiet period avoids a needless extra round.
const MARGIN_MS = 20;

/**
 * Reads the newest evidence once its bundle file has settled: unchanged across the read (size and
 * modification time) and not modified in the last 2 s of the real clock. A YAML bundle written in
 * place can otherwise be judged on a prefix, which may end before a failing item and be eligible.
 * Waits at most 10 s in all; a bundle still changing then is a blocked snapshot that says how to
 * publish bundles atomically.
 */
export async function readSettled(path: string, bundleFile: string, read: { within: string; limits: BundleLimits }, options: SettleOptions = {}): Promise<EvidenceSnapshot> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms).then(() => {}));
  const statFile = options.statFile ?? stat;
  let waited = 0;
  for (;;) {
    const before = await statFile(bundleFile).catch(() => null);
    const snapshot = await readEvidenceSnapshot(path, read.limits, { within: read.within });
    const after = await statFile(bundleFile).catch(() => null);
    // Nothing read is blocked already: there is nothing to wait for, unless a writer's rename
    // replaced the file mid-read, when the whole new bundle is there to be read.
    if (snapshot.bundle === null && snapshot.replacedWhileRead !== true) return snapshot;
    const wait = snapshot.bundle === null ? RETRY_MS : unsettledFor(before, after, clock());
    if (wait === 0) return snapshot;
    if (waited >= MAX_WAIT_MS) return snapshot.bundle === null ? snapshot : stillBeingWritten(bundleFile);
    const ms = Math.min(wait, MAX_WAIT_MS - waited);
    await sleep(ms);
    waited += ms;
  }
}

/** Pure: how long to wait before reading again, or 0 when the file has settled. */
function unsettledFor(before: { size: number; mtimeMs: number } | null, after: { size: number; mtimeMs: number } | null, now: number): number {
  if (before === null || after === null || before.size !== after.size || before.mtimeMs !== after.mtimeMs) return RETRY_MS;
  // A time further in the future is a wrong clock or a file set by hand, not a writer at work.
  if (Math.abs(now - after.mtimeMs) < QUIET_MS) return Math.ceil(after.mtimeMs + QUIET_MS - now) + MARGIN_MS;
  return 0;
}

function stillBeingWritten(bundleFile: string): EvidenceSnapshot {
  return {
    origin: bundleFile,
    name: basename(bundleFile),
    bundle: null,
    problemCode: "bundle_unreadable",
    problem: `\`${bundleFile}\` is still being written (it kept changing for ${MAX_WAIT_MS / 1000} s), so it is not judged yet; publish bundles by writing a temp file and renaming it into the folder (names starting with \`.\` are ignored)`,
    artifacts: new Map(),
  };
}
