import { describe, expect, it } from "vitest";
import { snapshotToInput } from "../../src/evidence/snapshot.js";

describe("a bundle that could not be read and came with no reason", () => {
  it("is blocked, naming where it came from in quotes and cut short", () => {
    const origin = `issue owner/repo#3, attachment ${"a".repeat(1000)}.json`;
    const input = snapshotToInput({ origin, name: "bundle.json", bundle: null, artifacts: new Map() });
    expect(input.bundle).toBeNull();
    expect(input.findings).toHaveLength(1);
    const finding = input.findings[0]!;
    expect(finding.code).toBe("bundle_unreadable");
    expect(finding.message.startsWith("cannot read `issue owner/repo#3, attachment aaa")).toBe(true);
    expect(finding.message.length).toBeLessThan(400);
  });
});
