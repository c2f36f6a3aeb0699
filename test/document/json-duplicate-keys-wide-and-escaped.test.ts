// Duplicate keys in JSON objects wide enough that the duplicate check switches to a Set, in sibling
// objects, and under keys written with escapes: each is found and named by the key as it reads.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string) => parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.json", maxBytes: 1024 * 1024 });
const TWICE = "this key appears twice in one object; parsers disagree on which value wins, so remove one";
const wide = (count: number) => Array.from({ length: count }, (_, i) => `"k${i}": ${i}`).join(", ");

describe("duplicate JSON keys", () => {
  it("refuses a key first seen among an object's first keys and repeated after many more", () => {
    const text = `{${wide(30)}, "k3": "pass"}`;
    expect(parse(text)).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: "bundle.k3", message: TWICE }] });
  });

  it("keeps the keys of one wide object apart from those of its sibling", () => {
    const text = `[{${wide(30)}}, {${wide(30)}, "status": "fail", "status": "pass"}]`;
    expect(parse(text)).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: "bundle[1].status", message: TWICE }] });
    // Two sibling wide objects with the same keys are no duplicate at all.
    expect(parse(`[{${wide(30)}}, {${wide(30)}}]`).ok).toBe(true);
  });

  it("names the path through a key written with escapes by the key it stands for", () => {
    const text = '{"ev\\u0069dence": [{"status": "fail", "status": "pass"}]}';
    expect(parse(text)).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: "bundle.evidence[0].status", message: TWICE }] });
  });
});
