import { describe, expect, it } from "vitest";
import { bundlePathOf, pushOrigin, statusContextFor } from "../../src/forgejo/push-origin.js";

const AFTER = "ef98532add3b2feb7a137426bba1248724367df5";

describe("a commit status's context for a pushed bundle", () => {
  it("names a path of exactly 200 characters as written, and one of 201 by its digest", () => {
    const at200 = `e/${"x".repeat(193)}.json`;
    const at201 = `e/${"x".repeat(194)}.json`;
    expect(at200).toHaveLength(200);
    expect(statusContextFor(pushOrigin("o/r", AFTER, at200))).toBe(`patchwarden/gate: ${at200}`);
    expect(statusContextFor(pushOrigin("o/r", AFTER, at201))).toMatch(/^patchwarden\/gate: sha256:[0-9a-f]{16}$/);
  });

  it("an origin with nothing after the commit names no bundle path: the plain gate context", () => {
    expect(bundlePathOf(`o/r@${AFTER.slice(0, 12)}:`)).toBeNull();
    expect(statusContextFor(`o/r@${AFTER.slice(0, 12)}:`)).toBe("patchwarden/gate");
  });
});

describe("reading a bundle's path back from its origin", () => {
  it("keeps a path holding `@` and `:` whole", () => {
    const path = "evidence/run@abc:1/diag.bundle.json";
    expect(bundlePathOf(pushOrigin("o/r", AFTER, path))).toBe(path);
    expect(statusContextFor(pushOrigin("o/r", AFTER, path))).toBe(`patchwarden/gate: ${path}`);
  });
});
