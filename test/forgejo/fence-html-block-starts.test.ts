// Which lines start an HTML block that hides the fences after it, as CommonMark 0.31 (commonmark.js,
// the reference parser) and so Forgejo's goldmark read them. Each case is checked against the
// reference parser as well as against the fences written out here.
import { describe, expect, it } from "vitest";
import { fencedBundles } from "../../src/forgejo/bundle-detection.js";
import type { FenceBlock } from "../../src/markdown/fence-blocks.js";
import { agreedFences, scan } from "./fence-reference.js";

const SCHEMA = "patchwarden.evidence_bundle.v1";
const FENCE = ["```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```"];
const FOUND: FenceBlock[] = [{ info: "patchwarden-bundle", text: `{"schema": "${SCHEMA}"}\n` }];

// CommonMark 0.31's block-level tags (HTML block type 6).
const BLOCK_TAGS = [
  "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col", "colgroup", "dd",
  "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset",
  "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
  "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section", "summary", "table", "tbody",
  "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
];

describe("block-level tags (CommonMark HTML block type 6)", () => {
  it("lets every block-level tag interrupt a paragraph and hide the fence under it", () => {
    for (const tag of BLOCK_TAGS) {
      expect(agreedFences("Please check.", `<${tag}>`, ...FENCE), tag).toEqual([]);
      expect(agreedFences("Please check.", `</${tag}>`, ...FENCE), `/${tag}`).toEqual([]);
    }
    // A tag that is not block-level, alone on its line, cannot interrupt a paragraph.
    expect(agreedFences("Please check.", "<span>", ...FENCE)).toEqual(FOUND);
  });

  it("takes a self-closed block-level tag as block-level too, so it interrupts a paragraph", () => {
    expect(agreedFences("Please check.", "<div/>", ...FENCE)).toEqual([]);
    expect(agreedFences("Please check.", "<hr/>", ...FENCE)).toEqual([]);
    const scan = fencedBundles(["Please check.", "<details/>", ...FENCE].join("\n"), "issue-body");
    expect(scan).toEqual({ ok: true, bundles: [], lostAtLine: null });
  });
});

describe("any other complete tag alone on its line (CommonMark HTML block type 7)", () => {
  it("knows a tag whose name only begins like pre, script, style or textarea", () => {
    for (const tag of ["<preview>", "<scripted>", "<styles>", "<textareas>", "<pre-x>", "</presentation>"]) {
      expect(agreedFences(tag, ...FENCE), tag).toEqual([]);
    }
  });

  it("knows attributes with blanks around `=`, and unquoted values", () => {
    for (const tag of ['<a href = "x">', "<a href\t=\t'x'>", "<a href=x>", "<img src=x.png alt=y/>", "<a\thref=x title = y>"]) {
      expect(agreedFences(tag, ...FENCE), tag).toEqual([]);
    }
  });

  it("allows blanks after the tag, but no other text", () => {
    expect(agreedFences("<custom-tag>   ", ...FENCE)).toEqual([]);
    expect(agreedFences("</custom>\t", ...FENCE)).toEqual([]);
    expect(agreedFences("<custom-tag> x", ...FENCE)).toEqual(FOUND);
  });
});

describe("HTML blocks that run to an end marker (CommonMark types 2 and 4)", () => {
  it("ends a comment only at `-->`, not at `--!>`", () => {
    expect(agreedFences("<!--", "--!>", ...FENCE, "-->")).toEqual([]);
    expect(agreedFences("<!--", "-->", ...FENCE)).toEqual(FOUND);
  });

  it("takes `<!` and a letter of either case for a declaration, which runs to `>`", () => {
    expect(agreedFences("<!doctype html", ...FENCE, ">")).toEqual([]);
    expect(agreedFences("<!x", ...FENCE, ">", ...FENCE)).toEqual(FOUND);
  });

  it("looks for the end marker in a block quote's text only, not in its `>` marks", () => {
    expect(agreedFences("> <!X", "> a", "> ```patchwarden-bundle", "> {}", "> ```")).toEqual([]);
    expect(agreedFences("> <!X", "> a >", "> ```patchwarden-bundle", "> {}", "> ```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });
});

describe("a self-closed <pre/> (goldmark, Forgejo's renderer, starts a type-1 block there; commonmark.js does not)", () => {
  it("hides the fences after it up to a `</pre>`", () => {
    expect(scan(["<pre/>", ...FENCE, "</pre>"])).toEqual({ fences: [], lostAtLine: null });
    expect(scan(["<PRE/>", ...FENCE, "</pre>", ...FENCE])).toEqual({ fences: FOUND, lostAtLine: null });
  });
});
