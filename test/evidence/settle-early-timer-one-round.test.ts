import { mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence, type SettleOptions } from "../../src/evidence/latest-evidence.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const WRITTEN = Date.parse("2026-11-21T12:00:00Z");

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-early-"));
  const path = join(temp, "diagnostics.bundle.json");
  await writeFile(path, freshBundleBytes(WRITTEN));
  await utimes(path, new Date(WRITTEN), new Date(WRITTEN));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("waiting for a bundle written a moment ago", () => {
  it("needs one wait even when the timer fires a few milliseconds early", async () => {
    let now = WRITTEN + 1_000;
    const slept: number[] = [];
    let reads = 0;
    const settle: SettleOptions = {
      clock: () => now,
      // A timer that wakes 5 ms before it was asked to.
      sleep: async (ms) => {
        slept.push(ms);
        now += ms - 5;
      },
      statFile: async (path) => {
        reads++;
        return stat(path);
      },
    };
    const snapshot = await readLatestEvidence(temp, undefined, settle);
    expect(snapshot.bundle).not.toBeNull();
    expect(slept).toHaveLength(1);
    // One stat before and one after each of the two reads.
    expect(reads).toBe(4);
  });
});
