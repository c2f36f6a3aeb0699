import { describe, expect, it } from "vitest";
import { documentRole, isBundleName } from "../../src/forgejo/bundle-detection.js";

describe("a file named as a bundle, in any letter case", () => {
  it("is a bundle by its name", () => {
    expect(isBundleName("Runtime.Bundle.JSON")).toBe(true);
    expect(isBundleName("evidence/EVIDENCE-BUNDLE.json")).toBe(true);
    expect(isBundleName("repair.bundle.YML")).toBe(true);
  });

  it("is judged (not skipped as unreadable) when it does not parse", () => {
    expect(documentRole("Runtime.Bundle.JSON", new TextEncoder().encode("{ not json"))).toBe("bundle");
    expect(documentRole("notes.JSON", new TextEncoder().encode("{ not json"))).toBe("unreadable");
  });
});
