import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freshBundleBytes } from "../helpers/bundles.js";

// An entry whose own metadata cannot be read (permission denied on it), which root, running these
// tests, would not meet through a mode.
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    lstat: async (...args: Parameters<typeof real.lstat>) => {
      if (String(args[0]).endsWith("hidden-from-us.json")) throw Object.assign(new Error(`EACCES: permission denied, lstat '${String(args[0])}'`), { code: "EACCES" });
      return real.lstat(...args);
    },
  };
});

const { readLatestEvidence } = await import("../../src/evidence/latest-evidence.js");

const NOON = Date.parse("2026-11-21T12:00:00Z");

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-nolstat-"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("an entry of the evidence folder whose time cannot be read", () => {
  it("may be the newest, so it blocks rather than letting an older bundle be judged", async () => {
    await writeFile(join(temp, "older.json"), freshBundleBytes(NOON));
    await utimes(join(temp, "older.json"), new Date(NOON - 60_000), new Date(NOON - 60_000));
    await writeFile(join(temp, "hidden-from-us.json"), freshBundleBytes(NOON));
    const snapshot = await readLatestEvidence(temp, undefined, { clock: () => NOON, sleep: async () => {} });
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problemCode).toBe("bundle_unreadable");
    expect(snapshot.problem).toContain(`cannot read \`${join(temp, "hidden-from-us.json")}\``);
    expect(snapshot.problem).toContain("the newest evidence is never skipped for an older one");
  });
});
