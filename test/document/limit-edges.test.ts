// The document limits hold to the byte, and duplicate keys are found in wide objects too (past
// the point where the duplicate check switches from a list to a Set).
import { describe, expect, it } from "vitest";
import { MAX_YAML_BYTES, parseDocument } from "../../src/document/parse-document.js";

const jsonOfLength = (length: number) => Buffer.from(`{"a":"${"x".repeat(length - 8)}"}`);
const yamlOfLength = (length: number) => Buffer.from(`a: ${"x".repeat(length - 4)}\n`);

describe("document size limits are exact", () => {
  it("refuses a document one byte over maxBytes, and reads one at maxBytes", () => {
    expect(jsonOfLength(1000).byteLength).toBe(1000);
    expect(parseDocument(jsonOfLength(1000), { root: "bundle", name: "b.json", maxBytes: 1000 }).ok).toBe(true);
    const over = parseDocument(jsonOfLength(1001), { root: "bundle", name: "b.json", maxBytes: 1000 });
    expect(over.ok).toBe(false);
    expect(over.ok ? null : over.problem).toBe("too_large");
  });

  it("refuses YAML one byte over the YAML limit, and reads YAML at it", () => {
    const limits = { root: "bundle", name: "b.yaml", maxBytes: 8 * 1024 * 1024 };
    expect(yamlOfLength(MAX_YAML_BYTES).byteLength).toBe(MAX_YAML_BYTES);
    expect(parseDocument(yamlOfLength(MAX_YAML_BYTES), limits).ok).toBe(true);
    const over = parseDocument(yamlOfLength(MAX_YAML_BYTES + 1), limits);
    expect(over.ok).toBe(false);
    expect(over.ok ? null : over.problem).toBe("too_large");
  });
});

describe("duplicate keys in a wide JSON object", () => {
  // Set, and a key first seen after that must still be remembered.
  it("refuses a key repeated after the object's 25th key", () => {
    const keys = Array.from({ length: 30 }, (_, i) => `"k${i}": ${i}`);
    const text = `{${keys.join(", ")}, "k27": "pass"}`;
    const parsed = parseDocument(Buffer.from(text), { root: "bundle", name: "b.json", maxBytes: 1 << 20 });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.diagnostics).toEqual([{ path: "bundle.k27", message: "this key appears twice in one object; parsers disagree on which value wins, so remove one" }]);
  });
});
