import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Hex } from "../../src/integrity/digest.js";
import { EvidenceDataError } from "../../src/queue/evidence-data-error.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("evidence-round-trip");

describe("a snapshot of a bundle that could not be read, saved and loaded again", () => {
  it.each([["bundle_unreadable"], ["bundle_too_large"], ["bundle_not_found"]] as const)("keeps its finding code `%s`", async (code) => {
    const store = new EvidenceStore(await temp());
    const snapshot: EvidenceSnapshot = { origin: "issue o/r#3, attachment e.json", name: "e.json", bundle: null, problem: "`e.json` could not be read", problemCode: code, artifacts: new Map() };
    expect(await store.load(await store.save(snapshot))).toEqual(snapshot);
  });
});

describe("a snapshot's artifacts, saved and loaded again", () => {
  it("an artifact that could not be read stays unread, with why: it never becomes an empty file", async () => {
    const dir = await temp();
    const store = new EvidenceStore(dir);
    const snapshot: EvidenceSnapshot = {
      origin: "issue o/r#3, attachment e.json",
      name: "e.json",
      bundle: Buffer.from('{"schema":"x"}'),
      artifacts: new Map([
        ["reports/truth.json", { ok: true, bytes: Buffer.from('{"ok":true}\n') }],
        ["reports/missing.json", { ok: false, problem: "`reports/missing.json` is not in the bundle" }],
        ["reports/empty.json", { ok: true, bytes: Buffer.alloc(0) }],
      ]),
    };
    const ref = await store.save(snapshot);
    const loaded = await store.load(ref);
    expect(loaded).toEqual(snapshot);
    expect(loaded.artifacts.get("reports/missing.json")).toEqual({ ok: false, problem: "`reports/missing.json` is not in the bundle" });
    expect(loaded.artifacts.get("reports/empty.json")).toEqual({ ok: true, bytes: Buffer.alloc(0) });
    // On disk too: the unread artifact is kept as a problem, not as bytes.
    const stored = JSON.parse(await readFile(join(dir, "evidence", ref.slice(0, 2), `${ref}.json`), "utf8")) as { artifacts: Record<string, unknown> };
    expect(stored.artifacts["reports/missing.json"]).toEqual({ problem: "`reports/missing.json` is not in the bundle" });
  });

  it("a file whose artifact entry has both bytes and a problem (hashing to its name) is refused as not a snapshot", async () => {
    const dir = await temp();
    const text = canonicalJson({ origin: "o", name: "b.json", bundle_base64: null, artifacts: { "a.json": { base64: "e30=", problem: "unread" } } });
    const ref = sha256Hex(text);
    await mkdir(join(dir, "evidence", ref.slice(0, 2)), { recursive: true });
    const path = join(dir, "evidence", ref.slice(0, 2), `${ref}.json`);
    await writeFile(path, `${text}\n`);
    const error = await new EvidenceStore(dir).load(ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EvidenceDataError);
    expect((error as EvidenceDataError).fault).toBe("it is not an evidence snapshot");
    expect((error as Error).message).toBe(`${path}: is not an evidence snapshot; reject the proposal and ask for a new gate check`);
  });
});
