// Headings, thematic breaks, setext underlines, link reference definitions and block quote
// continuation lines as CommonMark (commonmark.js, the reference parser) and so Forgejo read them:
// each decides whether a later line opens, continues or ends a fence.
import { describe, expect, it } from "vitest";
import { fencedBundles } from "../../src/forgejo/bundle-detection.js";
import type { FenceBlock } from "../../src/markdown/fence-blocks.js";
import { agreedFences, referenceFences, scan } from "./fence-reference.js";

const SCHEMA = "patchwarden.evidence_bundle.v1";
const FENCE = ["```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```"];
const FOUND: FenceBlock[] = [{ info: "patchwarden-bundle", text: `{"schema": "${SCHEMA}"}\n` }];

const bundleFences = (fences: FenceBlock[]) => fences.filter((fence) => fence.info === "patchwarden-bundle");
const LIST_FENCE = ["2. ```patchwarden-bundle", "   {}", "   ```"];

describe("ATX headings", () => {
  it("takes one to six `#` and a blank for a heading, which an ordered list may follow", () => {
    expect(agreedFences("###### Evidence", ...LIST_FENCE)).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
    expect(agreedFences("#", ...LIST_FENCE)).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });

  it("takes seven `#`, or `#` and no blank, for paragraph text, which a list starting at 2 does not interrupt", () => {
    expect(bundleFences(agreedFences("####### Evidence", ...LIST_FENCE))).toEqual([]);
    expect(bundleFences(agreedFences("#Evidence", ...LIST_FENCE))).toEqual([]);
  });
});

describe("thematic breaks", () => {
  it("ends a list item at a `___` line, so the fence after it is not the item's", () => {
    expect(agreedFences("- a", "___", "  ```patchwarden-bundle", "{}", "```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });

  it("takes `__`, `**` or `- -` for text that goes on the item's paragraph, so the item's fence ends at a line less indented", () => {
    for (const line of ["__", "**", "_ _", "* *", "- -"]) {
      expect(agreedFences("- a", line, "  ```patchwarden-bundle", "{}", "```"), line).toEqual([
        { info: "patchwarden-bundle", text: "" },
        { info: "", text: "" },
      ]);
    }
  });

  it("takes `___` under link reference definitions for a break, not an underline, and scans on", () => {
    expect(scan(["[ref]: /url", "___", ...FENCE])).toEqual({ fences: FOUND, lostAtLine: null });
    expect(scan(["[ref]: /url", "___", ...FENCE]).fences).toEqual(referenceFences(["[ref]: /url", "___", ...FENCE].join("\n")));
  });
});

describe("setext underlines under what may be link reference definitions", () => {
  // Were the lines above only definitions, `===` would be text and the list below it a lazy line.
  const stopsAtUnderline = (...definition: string[]) => {
    const lines = [...definition, "===", ...LIST_FENCE];
    expect(bundleFences(referenceFences(lines.join("\n")))).toEqual([]);
    expect(scan(lines)).toEqual({ fences: [], lostAtLine: definition.length + 1 });
  };

  it("stops at a label with an escaped bracket", () => stopsAtUnderline("[a\\]b]: /url"));
  it("stops at a label that goes on to the next line", () => stopsAtUnderline("[foo", "]: /url"));
  it("stops at a label that goes on to the next line after a backslash", () => stopsAtUnderline("[foo\\", "]: /url"));
});

describe("block quote continuation", () => {
  it("does not take a `>` indented four columns for the quote's: the quote's fence ends there", () => {
    expect(agreedFences("> ```patchwarden-bundle", "    > {}", "> ```")).toEqual([
      { info: "patchwarden-bundle", text: "" },
      { info: "", text: "" },
    ]);
    expect(agreedFences("> ```patchwarden-bundle", "   > {}", "> ```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });
});

describe("nesting past the limit", () => {
  it("stops at a 17th nested container even on a line that holds nothing else", () => {
    expect(scan([">".repeat(17), ...FENCE])).toEqual({ fences: [], lostAtLine: 1 });
    expect(scan([">".repeat(16), ...FENCE])).toEqual({ fences: FOUND, lostAtLine: null });
    expect(scan(["+ ".repeat(17).trimEnd(), ...FENCE])).toEqual({ fences: [], lostAtLine: 1 });
  });

  it("still reports a fence that the too-deep line ends, as it ended before the scan stopped", () => {
    expect(scan(["> ```patchwarden-bundle", "> {}", "+ ".repeat(17).trimEnd(), ...FENCE])).toEqual({
      fences: [{ info: "patchwarden-bundle", text: "{}\n" }],
      lostAtLine: 3,
    });
    const scanned = fencedBundles(["> ```patchwarden-bundle", `> {"schema": "${SCHEMA}"}`, "+ ".repeat(17).trimEnd(), ...FENCE].join("\n"), "issue-body");
    expect(scanned).toEqual({ ok: true, bundles: [{ name: "issue-body-fenced-1.json", text: `{"schema": "${SCHEMA}"}\n` }], lostAtLine: 3 });
  });
});
