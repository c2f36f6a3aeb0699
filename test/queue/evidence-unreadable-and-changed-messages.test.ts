import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import { EvidenceDataError } from "../../src/queue/evidence-data-error.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("evidence-messages");

const snapshot: EvidenceSnapshot = { origin: "issue o/r#3, attachment e.json", name: "e.json", bundle: Buffer.from("{}"), artifacts: new Map() };
const fileOf = (dir: string, ref: string) => join(dir, "evidence", ref.slice(0, 2), `${ref}.json`);

async function loadError(store: EvidenceStore, ref: string): Promise<EvidenceDataError> {
  const error = await store.load(ref).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(EvidenceDataError);
  return error as EvidenceDataError;
}

describe("a snapshot file that cannot be read", () => {
  it("a folder where the file should be: the message names the file, why, and both ways out; the fault says why without where", async () => {
    const dir = await temp();
    const ref = "ab".repeat(32);
    await mkdir(fileOf(dir, ref), { recursive: true });
    const error = await loadError(new EvidenceStore(dir), ref);
    expect(error.fault).toBe("it cannot be read (is a folder, not a file)");
    expect(error.message).toBe(`${fileOf(dir, ref)}: cannot be read (is a folder, not a file); fix its permissions, or reject the proposal and ask for a new gate check`);
    expect(error.path).toBe(fileOf(dir, ref));
  });

  it("an error the file system names only by its code: the fault says the code, never the data folder's path", async () => {
    const parent = await temp();
    // A folder name longer than any file system allows: reading under it fails with ENAMETOOLONG.
    const dir = join(parent, "d".repeat(300));
    const ref = "cd".repeat(32);
    const error = await loadError(new EvidenceStore(dir), ref);
    expect(error.fault).toBe("it cannot be read (ENAMETOOLONG)");
    expect(error.fault).not.toContain(parent);
    expect(error.message.startsWith(`${fileOf(dir, ref)}: cannot be read (`)).toBe(true);
  });
});

describe("a snapshot file missing or changed", () => {
  it("missing: said to be missing", async () => {
    const dir = await temp();
    const ref = "ef".repeat(32);
    const error = await loadError(new EvidenceStore(dir), ref);
    expect(error.fault).toBe("it is not in the evidence store");
  });

  it("changed after it was stored: the message says to restore it from a backup or reject the proposal", async () => {
    const dir = await temp();
    const store = new EvidenceStore(dir);
    const ref = await store.save(snapshot);
    await writeFile(fileOf(dir, ref), '{"changed":true}\n');
    const error = await loadError(store, ref);
    expect(error.fault).toBe("it does not hash to its name: it was changed after it was stored");
    expect(error.message).toBe(`${fileOf(dir, ref)}: does not hash to its name; it was changed after it was stored. Restore it from a backup, or reject the proposal and ask for a new gate check`);
  });
});
