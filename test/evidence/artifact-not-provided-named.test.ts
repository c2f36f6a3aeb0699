import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inputOf, bundleOf, item } from "../helpers/bundles.js";

describe("an artifact the edge did not hand over", () => {
  it("is a check with nothing observed that says it was not provided", () => {
    const sha256 = `sha256:${createHash("sha256").update("absent").digest("hex")}`;
    const input = inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gateway", artifact: "logs/probe.txt", sha256 })]));
    expect(input.artifacts).toEqual([{ evidenceIndex: 0, path: "logs/probe.txt", declared: sha256, observed: null, problem: "not provided" }]);
  });
});
