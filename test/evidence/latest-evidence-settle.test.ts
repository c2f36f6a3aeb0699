import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence, type SettleOptions } from "../../src/evidence/latest-evidence.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

// A bundle written in place can be read half-way; a YAML prefix that ends before a failing item is
// a complete, eligible bundle. The gate waits for the newest bundle to settle, and blocks if it does
// not. The real clock and sleeping are injected here, so nothing depends on timing.
const NOON = Date.parse("2026-11-21T12:00:00Z");
const policy = await readPolicy();
const FAILING_ITEM = `  - kind: runtime-truth-report
    subject: openclaw-gateway-canary
    generated_at: "2026-11-21T11:51:00Z"
    status: fail
    summary: the canary instance does not answer
    data: {}
`;

let temp: string;
let bundlePath: string;
let full: string;
let prefix: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-settle-"));
  bundlePath = join(temp, "diagnostics.bundle.yaml");
  prefix = await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8");
  full = `${prefix}${FAILING_ITEM}`;
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** A fake real clock that moves only when the gate sleeps; `onSleep` plays the writer. */
function fakeTime(start: number, onSleep: (now: number) => Promise<void> = async () => {}): SettleOptions & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    clock: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await onSleep(now);
    },
  };
}

async function writeAt(text: string, mtime: number): Promise<void> {
  await writeFile(bundlePath, text);
  await utimes(bundlePath, new Date(mtime), new Date(mtime));
}

const verdictOf = (snapshot: Awaited<ReturnType<typeof readLatestEvidence>>) => evaluate(snapshotToInput(snapshot), policy, NOON);

describe("readLatestEvidence and a bundle still being written", () => {
  it("the prefix alone would be eligible: this is what must not be judged", async () => {
    const written = NOON - 60_000;
    await writeAt(prefix, written);
    const time = fakeTime(NOON);
    expect(verdictOf(await readLatestEvidence(temp, undefined, time)).verdict).toBe("eligible_repair_dry_run");
    expect(time.slept).toEqual([]);
  });

  it("does not judge a prefix written a moment ago; it waits and judges the finished bundle", async () => {
    const written = NOON - 500;
    await writeAt(prefix, written);
    const time = fakeTime(NOON, async (now) => {
      if ((await readFile(bundlePath, "utf8")) === prefix) await writeAt(full, now);
    });
    const snapshot = await readLatestEvidence(temp, undefined, time);
    expect(Buffer.from(snapshot.bundle!).toString("utf8")).toBe(full);
    const verdict = verdictOf(snapshot);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => r.code)).toContain("evidence_failed");
    expect(time.slept.length).toBeGreaterThan(0);
  });

  it("blocks, saying why and what to do, when the bundle keeps changing past the bound", async () => {
    await writeAt(prefix, NOON - 100);
    let grown = prefix;
    const time = fakeTime(NOON, async (now) => {
      grown += "# still writing\n";
      await writeAt(grown, now);
    });
    const snapshot = await readLatestEvidence(temp, undefined, time);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problemCode ?? "bundle_unreadable").toBe("bundle_unreadable");
    expect(snapshot.problem).toMatch(new RegExp(`^\`${bundlePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\` is still being written`));
    expect(snapshot.problem).toContain("publish bundles by writing a temp file and renaming it");
    expect(verdictOf(snapshot).verdict).toBe("blocked");
    expect(time.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
  });

  it("gives up within its bound even when the clock it is given does not move", async () => {
    await writeAt(prefix, NOON - 100);
    const slept: number[] = [];
    const snapshot = await readLatestEvidence(temp, undefined, { clock: () => NOON, sleep: async (ms) => void slept.push(ms) });
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toContain("still being written");
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
  });

  it("reads again when the size or modification time changes between the stat before and after the read", async () => {
    await writeAt(full, NOON - 60_000);
    const real = await stat(bundlePath);
    let calls = 0;
    const time = fakeTime(NOON);
    const snapshot = await readLatestEvidence(temp, undefined, {
      ...time,
      // The first read is bracketed by stats that disagree, as when a writer appends meanwhile.
      statFile: async (path) => {
        calls++;
        const info = await stat(path);
        return calls === 1 ? { size: info.size - 10, mtimeMs: info.mtimeMs } : info;
      },
    });
    expect(time.slept.length).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(Buffer.from(snapshot.bundle!).length).toBe(real.size);
  });

  it("treats a run folder's evidence-bundle.json the same way", async () => {
    const { cp } = await import("node:fs/promises");
    const run = join(temp, "run-0440");
    await cp(fixture("openclaw-runs/green"), run, { recursive: true });
    await rm(bundlePath, { force: true });
    const bundle = join(run, "evidence-bundle.json");
    await utimes(bundle, new Date(NOON - 200), new Date(NOON - 200));
    const time = fakeTime(NOON);
    const snapshot = await readLatestEvidence(temp, undefined, time);
    expect(snapshot.bundle).not.toBeNull();
    expect(time.slept.length).toBeGreaterThan(0);
  });
});
