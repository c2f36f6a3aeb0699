import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence, type SettleOptions } from "../../src/evidence/latest-evidence.js";
import { freshBundleBytes } from "../helpers/bundles.js";

// Whole seconds, so the file's modification time is exactly this on every file system.
const WRITTEN = Date.parse("2026-11-21T12:00:00Z");

let temp: string;
let bundlePath: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-quiet-"));
  bundlePath = join(temp, "diagnostics.bundle.json");
  await writeFile(bundlePath, freshBundleBytes(WRITTEN));
  await utimes(bundlePath, new Date(WRITTEN), new Date(WRITTEN));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** A fake real clock that moves only when the gate sleeps. */
function clockAt(start: number): SettleOptions & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    clock: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe("the newest bundle's quiet period is two seconds of the real clock", () => {
  it("waits for a bundle last modified one and a half seconds ago until two seconds have passed", async () => {
    const time = clockAt(WRITTEN + 1_500);
    const snapshot = await readLatestEvidence(temp, undefined, time);
    expect(snapshot.bundle).not.toBeNull();
    expect(time.slept.length).toBeGreaterThan(0);
    // Read again only once the file has been quiet for the whole two seconds.
    expect(WRITTEN + 1_500 + time.slept.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(WRITTEN + 2_000);
  });

  it("reads at once a bundle last modified exactly two seconds ago", async () => {
    const time = clockAt(WRITTEN + 2_000);
    const snapshot = await readLatestEvidence(temp, undefined, time);
    expect(snapshot.bundle).not.toBeNull();
    expect(time.slept).toEqual([]);
  });
});
