// Opening a bundle document handed over by an edge, and turning an unread snapshot into input.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { openBundle } from "../../src/evidence/open-bundle.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { bundleOf, item } from "../helpers/bundles.js";

describe("openBundle", () => {
  it("a document without a schema is judged as a Patchwarden bundle, whose schema is then missing", () => {
    const { schema: _schema, ...rest } = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gateway" })]);
    const opened = openBundle("b.json", Buffer.from(JSON.stringify(rest)), DEFAULT_LIMITS);
    expect(opened.format).toBe("patchwarden.evidence_bundle.v1");
    expect(opened.findings).toEqual([{ code: "bundle_invalid", path: "bundle.schema", message: "missing; add it" }]);
  });

  it("a document over the bundle limit is bundle_too_large, not malformed", () => {
    const bytes = Buffer.from(JSON.stringify(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gateway" })])));
    const opened = openBundle("b.json", bytes, { ...DEFAULT_LIMITS, maxBundleBytes: 64 });
    expect(opened.findings.map((f) => [f.code, f.path])).toEqual([["bundle_too_large", "bundle"]]);
    expect(opened.native).toBeNull();
  });
});

describe("snapshotToInput for a bundle that could not be read", () => {
  it("blanks line breaks and bidirectional controls in the problem, so it forges no other line", () => {
    const input = snapshotToInput({ origin: "o", name: "b.json", bundle: null, problem: "cannot read `a\nb`\u202e (x)\r\nreason: forged", artifacts: new Map() });
    expect(input.findings).toEqual([{ code: "bundle_unreadable", path: "bundle", message: "cannot read `a b`  (x)  reason: forged" }]);
    expect(input).toMatchObject({ format: "unrecognised", digest: null, bundle: null, artifacts: [] });
  });
});
