// How YAML evidence is read: merge keys stay a plain `<<` key (no hidden values pulled in from an
// anchor), keys are held to the YAML 1.2 limits other parsers keep, a repeated key is named, one
// document per file, an empty file is an empty document, and a UTF-8 byte-order mark is no text.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string | Uint8Array, name = "bundle.yaml") =>
  parseDocument(typeof text === "string" ? Buffer.from(text) : text, { root: "bundle", name, maxBytes: 1024 * 1024 });

describe("YAML evidence", () => {
  it("keeps a merge key `<<` as a plain key instead of merging the anchored mapping in", () => {
    const text = "base: &b {status: pass}\nitem:\n  <<: *b\n";
    expect(parse(text)).toEqual({ ok: true, format: "yaml", value: { base: { status: "pass" }, item: { "<<": { status: "pass" } } } });
  });

  it("refuses an implicit key longer than 1024 characters, as the YAML 1.2 spec requires", () => {
    expect(parse(`${"k".repeat(1100)}: 1\n`)).toEqual({
      ok: false,
      problem: "malformed",
      diagnostics: [{ path: "bundle", message: "malformed YAML: the : indicator must be at most 1024 chars after the start of an implicit block mapping key (line 1, column 1); fix the syntax (a YAML linter shows the spot)" }],
    });
    expect(parse(`${"k".repeat(1000)}: 1\n`).ok).toBe(true);
  });

  it("names the line of a key written twice", () => {
    expect(parse("status: fail\nstatus: pass\n")).toEqual({
      ok: false,
      problem: "malformed",
      diagnostics: [{ path: "bundle", message: "malformed YAML: map keys must be unique (line 2, column 1); fix the syntax (a YAML linter shows the spot)" }],
    });
  });

  it("says once that a file holds several documents, however many it holds", () => {
    const result = parse("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n");
    expect(result).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: "bundle", message: "malformed YAML: the file holds several YAML documents (`---`); a bundle is one document" }] });
  });

  it("reads an empty file, or one of comments only, as an empty document", () => {
    expect(parse("")).toEqual({ ok: true, format: "yaml", value: null });
    expect(parse("# nothing yet\n")).toEqual({ ok: true, format: "yaml", value: null });
  });

  it("drops a UTF-8 byte-order mark before reading the text", () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(parse(Buffer.concat([bom, Buffer.from('{"owner": "zoë"}')]), "bundle.json")).toEqual({ ok: true, format: "json", value: { owner: "zoë" } });
    expect(parse(Buffer.concat([bom, Buffer.from("owner: zoë\n")]))).toEqual({ ok: true, format: "yaml", value: { owner: "zoë" } });
  });
});
