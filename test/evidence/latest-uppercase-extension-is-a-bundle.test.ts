import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence } from "../../src/evidence/latest-evidence.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const NOON = Date.parse("2026-11-21T12:00:00Z");

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-upper-"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

async function writeAt(name: string, mtime: number): Promise<void> {
  await writeFile(join(temp, name), freshBundleBytes(NOON));
  await utimes(join(temp, name), new Date(mtime), new Date(mtime));
}

describe("a bundle whose extension is written in capitals", () => {
  for (const name of ["RUN.JSON", "run.Yaml", "run.YML"]) {
    it(`${name} is the newest evidence, not skipped for an older bundle`, async () => {
      await writeAt("older.json", NOON - 3_600_000);
      await writeAt(name, NOON - 60_000);
      const snapshot = await readLatestEvidence(temp, undefined, { clock: () => NOON, sleep: async () => {} });
      expect(snapshot.name).toBe(name);
      expect(snapshot.origin).toBe(join(temp, name));
    });
  }
});
