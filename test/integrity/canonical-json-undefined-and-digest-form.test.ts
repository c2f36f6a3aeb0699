import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { normalizeDigest, sha256Hex } from "../../src/integrity/digest.js";

describe("canonicalJson", () => {
  it("leaves out keys whose value is undefined, as JSON.stringify does", () => {
    expect(canonicalJson({ b: 2, a: undefined, c: { d: undefined, e: null } })).toBe('{"b":2,"c":{"e":null}}');
  });

  it("refuses a value with no JSON form rather than digesting a made-up one", () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson([1, undefined])).toThrow(/no canonical JSON form/);
    expect(() => canonicalJson({ run: () => 1 })).toThrow(/type function/);
  });
});

describe("normalizeDigest", () => {
  const hex = sha256Hex("bundle");
  it("accepts exactly a sha256 digest, prefixed or bare", () => {
    expect(normalizeDigest(hex)).toBe(`sha256:${hex}`);
    expect(normalizeDigest(`sha256:${hex}`)).toBe(`sha256:${hex}`);
  });

  it("refuses text around the digest and uppercase hex", () => {
    expect(normalizeDigest(`${hex}0`)).toBeNull();
    expect(normalizeDigest(`${hex}\n`)).toBeNull();
    expect(normalizeDigest(`x${hex}`)).toBeNull();
    expect(normalizeDigest(`sha512:${hex}`)).toBeNull();
    expect(normalizeDigest(hex.toUpperCase())).toBeNull();
  });
});
