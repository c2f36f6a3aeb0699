import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence, type SettleOptions } from "../../src/evidence/latest-evidence.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const NOON = Date.parse("2026-11-21T12:00:00Z");

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-slack-"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

async function bundleDated(mtime: number): Promise<string> {
  const path = join(temp, "diagnostics.bundle.json");
  await writeFile(path, freshBundleBytes(NOON));
  await utimes(path, new Date(mtime), new Date(mtime));
  return path;
}

function clockAt(now: number): SettleOptions & { slept: number[] } {
  let current = now;
  const slept: number[] = [];
  return {
    slept,
    clock: () => current,
    sleep: async (ms) => {
      slept.push(ms);
      current += ms;
    },
  };
}

describe("a newest bundle dated ahead of the host's clock", () => {
  it("is still read when it is exactly five seconds ahead, the slack allowed between hosts", async () => {
    await bundleDated(NOON + 5_000);
    const snapshot = await readLatestEvidence(temp, undefined, clockAt(NOON));
    expect(snapshot.problem).toBeUndefined();
    expect(snapshot.bundle).not.toBeNull();
  });

  it("blocks, naming the clock, when it is six seconds ahead", async () => {
    const path = await bundleDated(NOON + 6_000);
    const snapshot = await readLatestEvidence(temp, undefined, clockAt(NOON));
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problemCode).toBe("bundle_unreadable");
    expect(snapshot.problem).toContain(`\`${path}\` is dated 2026-11-21T12:00:06`);
    expect(snapshot.problem).toContain("fix the clock of the host that wrote it");
  });
});
