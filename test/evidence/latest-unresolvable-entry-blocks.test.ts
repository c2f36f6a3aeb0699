import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freshBundleBytes } from "../helpers/bundles.js";

// An entry whose real path cannot be resolved (permission denied on the way), which root, running
// these tests, would not meet through a mode.
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    realpath: async (...args: Parameters<typeof real.realpath>) => {
      if (/unresolvable(\.json|-run|-bundle\/evidence-bundle\.json)$/.test(String(args[0]))) throw Object.assign(new Error(`EACCES: permission denied, realpath '${String(args[0])}'`), { code: "EACCES" });
      return real.realpath(...args);
    },
  };
});

const { readLatestEvidence } = await import("../../src/evidence/latest-evidence.js");
const { KIT_BUNDLE_FILE } = await import("../../src/evidence/safe-update/kit-schemas.js");

const NOON = Date.parse("2026-11-21T12:00:00Z");
const settle = { clock: () => NOON, sleep: async () => {} };
const at = (ms: number) => new Date(ms);

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-norealpath-"));
  await writeFile(join(temp, "older.json"), freshBundleBytes(NOON));
  await utimes(join(temp, "older.json"), at(NOON - 3_600_000), at(NOON - 3_600_000));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("an entry of the evidence folder whose real path cannot be resolved", () => {
  it("a bundle file blocks rather than letting an older bundle be judged", async () => {
    await writeFile(join(temp, "unresolvable.json"), freshBundleBytes(NOON));
    const snapshot = await readLatestEvidence(temp, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toContain(`cannot read \`${join(temp, "unresolvable.json")}\``);
  });

  it("a run folder blocks rather than letting an older bundle be judged", async () => {
    await mkdir(join(temp, "unresolvable-run"));
    await writeFile(join(temp, "unresolvable-run", KIT_BUNDLE_FILE), "{}");
    const snapshot = await readLatestEvidence(temp, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toContain(`cannot read \`${join(temp, "unresolvable-run")}\``);
  });

  it("a run folder whose bundle file cannot be resolved blocks rather than letting an older bundle be judged", async () => {
    await mkdir(join(temp, "unresolvable-bundle"));
    await writeFile(join(temp, "unresolvable-bundle", KIT_BUNDLE_FILE), "{}");
    const snapshot = await readLatestEvidence(temp, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toContain(`cannot read \`${join(temp, "unresolvable-bundle")}\``);
  });
});
