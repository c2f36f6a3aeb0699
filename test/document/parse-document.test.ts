import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_DEPTH, parseDocument } from "../../src/document/parse-document.js";
import { checkJsonStructure } from "../../src/document/json-structure.js";

const parse = (text: string | Uint8Array, name = "bundle.json", maxBytes = 1024 * 1024) =>
  parseDocument(typeof text === "string" ? Buffer.from(text) : text, { root: "bundle", name, maxBytes });

describe("parseDocument", () => {
  it("parses JSON and YAML to the same value", () => {
    const json = parse('{"a": [1, "two", {"b": null}]}');
    const yaml = parse("a:\n  - 1\n  - two\n  - b: null\n", "bundle.yaml");
    expect(json).toEqual({ ok: true, value: { a: [1, "two", { b: null }] }, format: "json" });
    expect(yaml).toEqual({ ok: true, value: { a: [1, "two", { b: null }] }, format: "yaml" });
  });

  it("picks the format from the text when the name does not say", () => {
    expect(parse('{"a": 1}', "attachment").ok && parse('{"a": 1}', "attachment")).toMatchObject({ format: "json" });
    expect(parse("a: 1\n", "attachment")).toMatchObject({ format: "yaml" });
  });

  it("keeps YAML timestamps as text, so zone checks see what was written", () => {
    expect(parse("t: 2026-11-21 11:50:00\n", "b.yaml")).toMatchObject({ ok: true, value: { t: "2026-11-21 11:50:00" } });
  });

  it("refuses a document over the byte limit before decoding it", () => {
    const result = parse(Buffer.alloc(2048, 0x20), "b.json", 1024);
    expect(result).toEqual({ ok: false, problem: "too_large", diagnostics: [{ path: "bundle", message: expect.stringMatching(/^the document is 2 KiB, over the 1 KiB limit/) }] });
  });

  it("finds a repeated key at any depth and names its path", () => {
    const check = (text: string) => checkJsonStructure(Buffer.from(text), text, JSON.parse(text), "bundle", 64);
    expect(check('{"a": {"b": 1, "b": 2}}')).toEqual({ kind: "duplicate_key", path: "bundle.a.b" });
    expect(check('{"e": [{"s": 1}, {"s": 1, "t": [1, {"x": 1, "x": 2}]}]}')).toEqual({ kind: "duplicate_key", path: "bundle.e[1].t[1].x" });
    // Escapes are decoded before comparing: "st\u0061tus" is "status".
    expect(check('{"status": "fail", "st\\u0061tus": "pass"}')).toEqual({ kind: "duplicate_key", path: "bundle.status" });
    // Quotes and braces inside strings are not structure.
    expect(check('{"a": "x\\"}{\\"", "b": "[", "c": {"a": 1}}')).toBeNull();
    // Strings that look like keys inside values, and colons inside strings, are not counted as keys.
    expect(check('{"a": "\\":", "b": ":", "c": ["d", ":"], "e": {"f": "g\\\\"}}')).toBeNull();
    expect(check('{"a": {"b": 1}, "c": {"b": 1, "d": [{"b": 1, "b": 1}]}}')).toEqual({ kind: "duplicate_key", path: "bundle.c.d[0].b" });
  });

  it("refuses duplicate keys in YAML too", () => {
    expect(parse("status: fail\nstatus: pass\n", "b.yaml")).toMatchObject({ ok: false, problem: "malformed" });
  });

  it("refuses JSON nested deeper than the limit, naming where", () => {
    const deep = `${"[".repeat(MAX_DOCUMENT_DEPTH + 1)}${"]".repeat(MAX_DOCUMENT_DEPTH + 1)}`;
    expect(parse(deep)).toMatchObject({ ok: false, problem: "malformed", diagnostics: [{ message: expect.stringMatching(/nests deeper than 64 levels/) }] });
    const fine = `${"[".repeat(MAX_DOCUMENT_DEPTH)}${"]".repeat(MAX_DOCUMENT_DEPTH)}`;
    expect(parse(fine).ok).toBe(true);
  });

  it("refuses deeply nested YAML before the yaml library can exhaust memory", () => {
    // 10,000 nested flow sequences (20 KB) abort the process inside the yaml library unguarded.
    const bomb = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    expect(parse(bomb, "b.yaml")).toMatchObject({ ok: false, problem: "malformed", diagnostics: [{ message: expect.stringMatching(/nests deeper than 64 levels/) }] });
    let block = "";
    for (let i = 0; i < 80; i++) block += `${" ".repeat(i * 2)}k${i}:\n`;
    block += `${" ".repeat(160)}v\n`;
    expect(parse(block, "b.yaml")).toMatchObject({ ok: false, diagnostics: [{ message: expect.stringMatching(/nests deeper/) }] });
  });

  it("does not count brackets inside quoted YAML scalars or comments", () => {
    const text = `a: "${"[".repeat(100)}"\nb: '${"{".repeat(100)}'\n# ${"[".repeat(100)}\n`;
    expect(parse(text, "b.yaml")).toMatchObject({ ok: true });
  });

  it("refuses YAML alias bombs", () => {
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 0; i < 9; i++) bomb += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(",")}]\n`;
    expect(parse(bomb, "b.yaml")).toMatchObject({ ok: false, problem: "malformed", diagnostics: [{ message: expect.stringMatching(/alias/) }] });
  });

  it("keeps __proto__ as a plain key and never touches Object.prototype", () => {
    for (const [text, name] of [['{"__proto__": {"polluted": true}}', "b.json"], ["__proto__:\n  polluted: true\n", "b.yaml"]] as const) {
      const result = parse(text, name);
      expect(result.ok).toBe(true);
      if (result.ok) expect(Object.keys(result.value as object)).toEqual(["__proto__"]);
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    }
  });

  it("refuses invalid UTF-8 and names the problem", () => {
    expect(parse(Uint8Array.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, problem: "not_utf8" });
  });

  it("says where JSON broke without echoing raw control characters", () => {
    const result = parse('{\n  "a": 1,\n  "b": \n}');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.diagnostics[0]!.message).toMatch(/^malformed JSON: /);
      expect(result.diagnostics[0]!.message).not.toMatch(/[\n\r]/);
    }
  });
});

describe("the duplicate-key count agrees with the precise scan", () => {
  it("on generated JSON with repeated keys, escaped quotes, backslashes and multi-byte text", () => {
    const key = fc.constantFrom("a", "b", 'q"', "\\", "é", "😀", "st\\u0061tus", "status");
    const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', "\\", '\\"', "é😀", ":", '":'), fc.integer(), fc.boolean(), fc.constant(null));
    // Build JSON text by hand so keys can repeat, which JSON.stringify cannot produce.
    const node = fc.letrec<{ node: string }>((tie) => {
      const child = tie("node") as fc.Arbitrary<string>;
      return {
        node: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          leaf.map((v) => JSON.stringify(v)),
          fc.array(child, { maxLength: 4 }).map((items) => `[${items.join(", ")}]`),
          fc.array(fc.tuple(key, child), { maxLength: 4 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)} :${v}`).join(",")}}`),
        ),
      };
    }).node;
    fc.assert(
      fc.property(node, (text) => {
        const value: unknown = JSON.parse(text);
        const fast = checkJsonStructure(Buffer.from(text), text, value, "bundle", 64);
        const hasDuplicate = precise(text);
        return (fast?.kind === "duplicate_key") === hasDuplicate;
      }),
      { numRuns: 3000 },
    );
  });
});

/** An independent oracle: a regex tokenizer that keeps every key and reports whether any object repeats one. */
function precise(text: string): boolean {
  let found = false;
  const stack: Array<Set<string>> = [];
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[{}[\],:]/g) ?? [];
  let expectKey = false;
  const kinds: boolean[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "{") {
      stack.push(new Set());
      kinds.push(true);
      expectKey = true;
    } else if (t === "[") {
      kinds.push(false);
      expectKey = false;
    } else if (t === "}" || t === "]") {
      if (kinds.pop()) stack.pop();
      expectKey = false;
    } else if (t === ",") {
      expectKey = kinds[kinds.length - 1] === true;
    } else if (t.startsWith('"') && expectKey) {
      const k = JSON.parse(t) as string;
      const keys = stack[stack.length - 1]!;
      if (keys.has(k)) found = true;
      keys.add(k);
      expectKey = false;
    }
  }
  return found;
}
