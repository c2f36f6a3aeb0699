import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Hex } from "../../src/integrity/digest.js";
import { EvidenceDataError } from "../../src/queue/evidence-data-error.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("evidence-store");

/** A file in the evidence store under the sha256 of its own canonical JSON, so only its shape can refuse it. */
async function storedUnderItsHash(dir: string, value: unknown): Promise<{ ref: string; path: string }> {
  const text = canonicalJson(value);
  const ref = sha256Hex(text);
  await mkdir(join(dir, "evidence", ref.slice(0, 2)), { recursive: true });
  const path = join(dir, "evidence", ref.slice(0, 2), `${ref}.json`);
  await writeFile(path, `${text}\n`);
  return { ref, path };
}

describe("an evidence reference that is not a sha256 in lowercase hex", () => {
  it.each([["../../queue/proposals/p_1"], ["A".repeat(64)], ["a".repeat(63)], [""]])("`%s` is refused before any file is read", async (ref) => {
    const store = new EvidenceStore(await temp());
    const error = await store.load(ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(EvidenceDataError);
    expect((error as Error).message).toBe(`\`${ref}\` is not an evidence reference`);
  });
});

describe("a snapshot of a bundle that could not be read", () => {
  it("keeps why and its finding code, so judging it again blocks it for the same reason", async () => {
    const store = new EvidenceStore(await temp());
    const snapshot: EvidenceSnapshot = { origin: "issue o/r#3, attachment big.json", name: "big.json", bundle: null, problem: "`big.json` is larger than 1 MiB", problemCode: "bundle_too_large", artifacts: new Map() };
    const ref = await store.save(snapshot);
    expect(await store.load(ref)).toEqual(snapshot);
    const plain: EvidenceSnapshot = { origin: "issue o/r#3, attachment big.json", name: "big.json", bundle: null, problem: "`big.json` is larger than 1 MiB", artifacts: new Map() };
    expect(await store.save(plain)).not.toBe(ref);
  });
});

describe("a stored file that hashes to its name but is not a snapshot of this release's shape", () => {
  it("with a field no snapshot has: refused, naming the file", async () => {
    const dir = await temp();
    const { ref, path } = await storedUnderItsHash(dir, { origin: "o", name: "b.json", bundle_base64: null, artifacts: {}, extra: "x" });
    const error = await new EvidenceStore(dir).load(ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EvidenceDataError);
    expect((error as EvidenceDataError).fault).toBe("it is not an evidence snapshot");
    expect((error as Error).message).toContain(path);
  });

  it("a file whose artifact entry has both bytes and a problem (hashing to its name) is refused as not a snapshot", async () => {
    const dir = await temp();
    const { ref, path } = await storedUnderItsHash(dir, { origin: "o", name: "b.json", bundle_base64: null, artifacts: { "a.json": { base64: "e30=", problem: "unread" } } });
    const error = await new EvidenceStore(dir).load(ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EvidenceDataError);
    expect((error as EvidenceDataError).fault).toBe("it is not an evidence snapshot");
    expect((error as Error).message).toBe(`${path}: is not an evidence snapshot; reject the proposal and ask for a new gate check`);
  });
});
