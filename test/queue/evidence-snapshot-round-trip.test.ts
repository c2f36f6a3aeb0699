import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
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
});
