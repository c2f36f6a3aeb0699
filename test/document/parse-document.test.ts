import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument as parseYamlDirectly } from "yaml";
import { MAX_DOCUMENT_DEPTH, MAX_YAML_BYTES, parseDocument } from "../../src/document/parse-document.js";
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

  it("holds YAML to 1 MiB (its parser's memory grows hundreds of bytes per character) while JSON keeps the bundle limit", () => {
    const limit = 8 * 1024 * 1024;
    const yaml = Buffer.from(`a: ${"x".repeat(MAX_YAML_BYTES)}\n`);
    expect(parse(yaml, "b.yaml", limit)).toEqual({
      ok: false,
      problem: "too_large",
      diagnostics: [{ path: "bundle", message: expect.stringMatching(/^the YAML document is 1 MiB, over the 1 MiB limit for YAML; write it as JSON \(up to 8 MiB\)/) }],
    });
    // Found by its text too, without a telling name.
    expect(parse(yaml, "attachment", limit)).toMatchObject({ ok: false, problem: "too_large" });
    const json = Buffer.from(JSON.stringify({ a: "x".repeat(MAX_YAML_BYTES) }));
    expect(parse(json, "b.json", limit)).toMatchObject({ ok: true, format: "json" });
    expect(parse(Buffer.from(`a: ${"x".repeat(MAX_YAML_BYTES - 8)}\n`), "b.yaml", limit)).toMatchObject({ ok: true, format: "yaml" });
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

  it("reads 50 aliases of one anchor, as the bundle spec allows, and refuses the 51st", () => {
    const aliases = (n: number) => `a: &a x\nb: [${Array(n).fill("*a").join(", ")}]\n`;
    expect(parse(aliases(50), "b.yaml")).toMatchObject({ ok: true, value: { a: "x", b: Array(50).fill("x") } });
    expect(parse(aliases(51), "b.yaml")).toEqual({
      ok: false,
      problem: "malformed",
      diagnostics: [{ path: "bundle", message: "malformed YAML: the aliases expand to too many values (a resource exhaustion attack?); remove the aliases (`*name`) and write the values out" }],
    });
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

  it("refuses UTF-16 without a byte-order mark, and any raw NUL, naming the encoding", () => {
    // ASCII in UTF-16 is valid UTF-8 with a NUL beside every character: once read as a YAML text
    // (or as "malformed JSON"), with nothing said about the encoding.
    const holdsNul = { ok: false, problem: "not_utf8", diagnostics: [{ path: "bundle", message: "the document holds NUL bytes (UTF-16?); save it as UTF-8" }] };
    const yaml = "schema: patchwarden.evidence_bundle.v1\ngenerated_at: x\n";
    const json = '{"schema": "patchwarden.evidence_bundle.v1"}';
    expect(parse(Buffer.from(yaml, "utf16le"), "b.yaml")).toEqual(holdsNul);
    expect(parse(Buffer.from(json, "utf16le"), "b.json")).toEqual(holdsNul);
    // Big-endian, unnamed: the text starts with a NUL, not a brace, so it is taken for YAML.
    expect(parse(Buffer.from(json, "utf16le").swap16(), "attachment")).toEqual(holdsNul);
    // YAML forbids NUL anywhere; the yaml library kept it inside the scalar.
    expect(parse("status: pa\u0000ss\n", "b.yaml")).toEqual(holdsNul);
    expect(parse('{"status": "pa\u0000ss"}', "b.json")).toEqual(holdsNul);
    // Written as an escape, a NUL is text like any other.
    expect(parse('{"status": "pa\\u0000ss"}', "b.json")).toMatchObject({ ok: true, value: { status: "pa\u0000ss" } });
    expect(parse('status: "pa\\0ss"\n', "b.yaml")).toMatchObject({ ok: true, value: { status: "pa\u0000ss" } });
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

describe("YAML keys and values that would not survive as plain JSON", () => {
  const refusal = (text: string) => {
    const result = parse(text, "b.yaml");
    if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(result.value)}`);
    expect(result.problem).toBe("malformed");
    return result.diagnostics;
  };

  it("refuses an alias used as a key, which once turned `status: fail` into pass", () => {
    const text = "evidence:\n  - id: &s status\n    status: fail\n    *s : pass\n";
    expect(refusal(text)).toEqual([{ path: "bundle.evidence[0]", message: "the key `*s` is an alias; an alias used as a key hides which key it stands for, so write the key out" }]);
  });

  it("refuses keys that yaml keeps apart but that become one property, naming both and the property", () => {
    expect(refusal('data:\n  1: a\n  "1": b\n')).toEqual([{ path: 'bundle.data["1"]', message: "the key `1` and the key `\"1\"` in one mapping both become the key `1`; parsers disagree on which value wins, so remove one" }]);
    expect(refusal('null: {approved_by: piotr}\n"": {}\n')).toEqual([{ path: 'bundle[""]', message: "the key `null` and the key `\"\"` in one mapping both become the empty key; parsers disagree on which value wins, so remove one" }]);
    expect(refusal(': a\n"": b\n')[0]!.message).toMatch(/^an omitted key and the key `""` in one mapping both become the empty key/);
    expect(refusal('true: a\n"true": b\n')[0]).toMatchObject({ path: "bundle.true" });
    expect(refusal("!!str 1: a\n1: b\n")[0]!.message).toMatch(/^the key `!!str 1` and the key `1` /);
    expect(refusal('.inf: a\n"Infinity": b\n')[0]).toMatchObject({ path: "bundle.Infinity" });
    expect(refusal(".nan: a\n.nan: b\n")[0]).toMatchObject({ path: "bundle.NaN" });
  });

  it("refuses a key exactly when the yaml library itself would merge two keys into one property", () => {
    // The oracle is the library: its own toJS drops a property whenever two keys share a name.
    const spellings = ["1", '"1"', "'1'", "01", "0x1", "1.0", "1.5", '"1.5"', "0o17", '"15"', "-0", "0", '"0"', "null", "~", "Null", '""', "''", '"null"', "true", "True", '"true"', "false", "!!str 1", "!!str true", "!!null ''", ".inf", '"Infinity"', ".nan", '"NaN"', "1e3", '"1000"', "a", '"a"', "__proto__", '"__proto__"', "constructor"];
    const options = { version: "1.2", schema: "core", merge: false, uniqueKeys: true, strict: true, resolveKnownTags: false } as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...spellings), { minLength: 1, maxLength: 4 }), (keys) => {
        const text = keys.map((key, i) => `${key}: ${i}\n`).join("");
        const library = parseYamlDirectly(text, options);
        const merged = library.errors.length > 0 || Object.keys(library.toJS() as object).length < keys.length;
        return parse(text, "b.yaml").ok === !merged;
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses lists and mappings used as keys, which became text no check recognises", () => {
    expect(refusal("data:\n  ? [operator_approval]\n  : true\n")).toEqual([{ path: "bundle.data", message: "the key `[operator_approval]` is a list; a key must be plain text, so write it as a quoted string" }]);
    expect(refusal("? {a: 1}\n: 1\n")[0]!.message).toMatch(/^the key `\{a: 1\}` is a mapping;/);
  });

  it("refuses the YAML 1.1 tags that made Maps, Sets, byte arrays and Dates", () => {
    for (const [text, tag] of [
      ["data: !!omap [ {approved: true} ]\n", "!!omap"],
      ["data: !!pairs [ {approved: true} ]\n", "!!pairs"],
      ["data: !!set {approved_by}\n", "!!set"],
      ["data: !!binary aGVsbG8=\n", "!!binary"],
      ["at: !!timestamp 2026-11-21\n", "!!timestamp"],
    ] as const) {
      expect(refusal(text), text).toEqual([{ path: "bundle", message: expect.stringContaining(`malformed YAML: the tag \`${tag}\` (line 1, column `) }]);
    }
  });

  it("keeps the depth limit inside what a tag once hid from it", () => {
    let text = "a: !!omap\n  - k:\n";
    for (let i = 0; i < 100; i++) text += `${" ".repeat(6 + 2 * i)}k:\n`;
    expect(refusal(text)[0]!.message).toMatch(/the tag `!!omap`/);
    expect(refusal(text.replace(" !!omap\n  - k:", "\n  k:"))[0]!.message).toMatch(/nests deeper than 64 levels/);
  });

  it("refuses numbers JSON cannot hold, naming where", () => {
    expect(refusal("a: .nan\n")).toEqual([{ path: "bundle.a", message: "the number `NaN` has no JSON form; quote it if it is text, or remove it" }]);
    expect(refusal("x: [1, -.inf]\n")[0]).toMatchObject({ path: "bundle.x[1]", message: expect.stringMatching(/^the number `-Infinity`/) });
    expect(refusal("a: 1e400\n")[0]).toMatchObject({ path: "bundle.a", message: expect.stringMatching(/^the number `Infinity`/) });
  });

  it("refuses a JSON number too large for a double, which JSON.parse reads as Infinity", () => {
    const result = parse('{"a": [1, 1e400], "b": "1e400"}', "b.json");
    expect(result.ok ? null : [result.problem, result.diagnostics]).toEqual(["malformed", [{ path: "bundle.a[1]", message: "the number `Infinity` has no JSON form; quote it if it is text, or remove it" }]]);
    expect(parse('{"a": 1e300, "b": -0}', "b.json").ok).toBe(true);
  });

  it("ends an alias to its own ancestor as too deep instead of looping", () => {
    expect(refusal("&a [*a]\n")[0]!.message).toMatch(/nests deeper than 64 levels/);
    expect(refusal("a: &a {b: *a}\n")[0]!.message).toMatch(/nests deeper than 64 levels/);
  });

  it("still reads anchors, aliases as values, core tags and keys that only look special", () => {
    const text = 'probe: &ok ok\nagain: *ok\n"1": one\n"2": two\n__proto__: p\nconstructor: c\nn: !!int 7\ns: !!str 7\nz: !!null ""\n';
    expect(parse(text, "b.yaml")).toEqual({ ok: true, format: "yaml", value: { probe: "ok", again: "ok", "1": "one", "2": "two", ["__proto__"]: "p", constructor: "c", n: 7, s: "7", z: null } });
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
