import { execFileSync } from "node:child_process";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence } from "../../src/evidence/latest-evidence.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const NOON = Date.parse("2026-11-21T12:00:00Z");

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-fifo-"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe.skipIf(process.platform === "win32")("something that is not a file but is named like a bundle", () => {
  it("is the newest evidence and blocks, rather than an older bundle being judged in its place", async () => {
    await writeFile(join(temp, "older.json"), freshBundleBytes(NOON));
    await utimes(join(temp, "older.json"), new Date(NOON - 3_600_000), new Date(NOON - 3_600_000));
    const fifo = join(temp, "newest.json");
    execFileSync("mkfifo", [fifo]);
    await utimes(fifo, new Date(NOON - 60_000), new Date(NOON - 60_000));
    const snapshot = await readLatestEvidence(temp, undefined, { clock: () => NOON, sleep: async () => {} });
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(fifo);
    expect(snapshot.problem).toContain(fifo);
  });
});
