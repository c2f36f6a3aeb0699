import { describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import { EvidenceDataError } from "../../src/queue/evidence-data-error.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("evidence-ref-form");

const snapshot: EvidenceSnapshot = { origin: "issue o/r#3, attachment e.json", name: "e.json", bundle: Buffer.from("{}"), artifacts: new Map() };

describe("an evidence reference with a sha256 inside it, but more around it", () => {
  it.each([
    ["a suffix", (ref: string) => `${ref}/../../outside`],
    ["a trailing line break", (ref: string) => `${ref}\n`],
    ["a prefix", (ref: string) => `../../${ref}`],
    ["a leading character", (ref: string) => `0${ref}`],
  ])("with %s: refused before any file is read", async (_what, dress) => {
    const dir = await temp();
    const store = new EvidenceStore(dir);
    const ref = await store.save(snapshot);
    const dressed = dress(ref);
    const error = await store.load(dressed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(EvidenceDataError);
    expect((error as Error).message).toBe(`\`${dressed}\` is not an evidence reference`);
    // The plain reference still loads.
    expect(await store.load(ref)).toEqual(snapshot);
  });

  it("a suffix that would name another stored snapshot's file is still refused", async () => {
    const dir = await temp();
    const store = new EvidenceStore(dir);
    const ref = await store.save(snapshot);
    const other = await store.save({ ...snapshot, name: "other.json" });
    // Taken as a path, this names the other snapshot's file.
    const dressed = `${ref}/../../${other.slice(0, 2)}/${other}`;
    await expect(store.load(dressed)).rejects.toThrow(`\`${dressed}\` is not an evidence reference`);
  });
});
