// Which fences in a description are bundles: those CommonMark (so Forgejo's goldmark) shows as
// fences, with the text it shows. The expectations were checked against the reference parser,
// commonmark.js 0.31.2, but for `</pre>` (the spec and goldmark start no HTML block there; it does)
// and where the scan stops (last block).
import { describe, expect, it } from "vitest";
import { fencedBundles } from "../../src/forgejo/bundle-detection.js";
import { fenceBlocks } from "../../src/markdown/fence-blocks.js";

const SCHEMA = "patchwarden.evidence_bundle.v1";
const FENCE = ["```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```"];
const BUNDLE = { name: "issue-body-fenced-1.json", text: `{"schema": "${SCHEMA}"}\n` };

const bundlesOf = (...lines: string[]) => {
  const scan = fencedBundles(lines.join("\n"), "issue-body");
  if (!scan.ok) throw new Error(`not scanned (${scan.bytes} bytes)`);
  return scan.bundles;
};
const fencesOf = (...lines: string[]) => [...fenceBlocks(lines)].map(({ info, text }) => [info, text]);

describe("fenced bundles in HTML blocks that end at a blank line (CommonMark types 6 and 7)", () => {
  it("finds no bundle inside a <details> or <div> HTML block that runs on without a blank line", () => {
    expect(bundlesOf("<details>", ...FENCE, "</details>")).toEqual([]);
    expect(bundlesOf("<div>", ...FENCE, "</div>")).toEqual([]);
  });

  it("finds the bundle once a blank line has ended the block", () => {
    expect(bundlesOf("<details>", "<summary>Evidence</summary>", "", ...FENCE, "", "</details>")).toEqual([BUNDLE]);
    expect(bundlesOf("<div>", "", ...FENCE)).toEqual([BUNDLE]);
  });

  it("knows a block-level tag whatever its case, opening or closing, with attributes or none", () => {
    for (const tag of ["<DIV>", "<Details open>", "</TABLE>", "<section/>", "  <td", "<h2 id=x>"]) {
      expect(bundlesOf(tag, ...FENCE), tag).toEqual([]);
    }
  });

  it("lets a block-level tag interrupt a paragraph, but only at the start of a line", () => {
    expect(bundlesOf("Please check.", "<div>", ...FENCE)).toEqual([]);
    expect(bundlesOf("Please check. <div>", ...FENCE)).toEqual([BUNDLE]);
  });

  it("takes any other complete tag alone on its line for an HTML block, but not in a paragraph", () => {
    for (const tag of ["<custom-tag>", '<span class="note">', "</span>", "<br/>"]) expect(bundlesOf(tag, ...FENCE), tag).toEqual([]);
    // It cannot interrupt a paragraph: it goes on with it, and the fence interrupts that.
    expect(bundlesOf("Please check.", "<custom-tag>", ...FENCE)).toEqual([BUNDLE]);
    // Not alone on its line, or not a complete tag: text.
    expect(bundlesOf("<span>note</span>", ...FENCE)).toEqual([BUNDLE]);
    expect(bundlesOf("<span class=", ...FENCE)).toEqual([BUNDLE]);
    // A closing tag of a raw-text element starts no block (CommonMark 0.31.2; goldmark agrees).
    expect(bundlesOf("</pre>", ...FENCE)).toEqual([BUNDLE]);
  });
});

describe("fences indented by up to three spaces (CommonMark)", () => {
  it("finds a fenced bundle whose fence is indented by one to three spaces", () => {
    expect(bundlesOf(" ```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, " ```")).toEqual([BUNDLE]);
    expect(bundlesOf("   ```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "   ```")).toEqual([BUNDLE]);
  });

  it("takes a line indented four spaces for indented code, not a fence", () => {
    expect(bundlesOf("    ```patchwarden-bundle", `    {"schema": "${SCHEMA}"}`, "    ```")).toEqual([]);
    // A tab reaches column four.
    expect(bundlesOf("\t```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```")).toEqual([]);
    expect(bundlesOf("  \t```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```")).toEqual([]);
  });

  it("closes a fence with a line indented up to three spaces, never four", () => {
    expect(fencesOf("```patchwarden-bundle", "a: 1", "   ```", "after")).toEqual([["patchwarden-bundle", "a: 1\n"]]);
    expect(fencesOf("   ```patchwarden-bundle", "a: 1", "```")).toEqual([["patchwarden-bundle", "a: 1\n"]]);
    expect(fencesOf("```patchwarden-bundle", "a: 1", "    ```", "```")).toEqual([["patchwarden-bundle", "a: 1\n    ```\n"]]);
    // At least as long, the same character, nothing after it but blanks.
    expect(fencesOf("  ````patchwarden-bundle", "a: 1", "  ```", "  ~~~~", "  ```` x", "  `````\t ")).toEqual([["patchwarden-bundle", "a: 1\n```\n~~~~\n```` x\n"]]);
  });

  it("takes up to the opener's indentation off each line, so the bundle is the text Forgejo shows", () => {
    expect(fencesOf("   ```patchwarden-bundle", "   a: 1", "  b: 2", " c: 3", "d: 4", "    e: 5", "", "   ```")).toEqual([
      ["patchwarden-bundle", "a: 1\nb: 2\nc: 3\nd: 4\n e: 5\n\n"],
    ]);
    // A tab straddling the opener's indentation leaves its remaining columns as spaces.
    expect(fencesOf("  ```patchwarden-bundle", "\ta: 1", "```")).toEqual([["patchwarden-bundle", "  a: 1\n"]]);
    // And a description written with CRLF line ends keeps them.
    expect(fencesOf("  ```patchwarden-bundle\r", "   a: 1\r", "  ```\r")).toEqual([["patchwarden-bundle", " a: 1\r\n"]]);
  });

  it("refuses a backtick fence whose info string holds a backtick, in time on a hostile line", () => {
    expect(bundlesOf("```patchwarden-bundle `x`", "a: 1", "```")).toEqual([]);
    // A lookahead after the run of backticks backtracked through it: 20 s for this line.
    expect(fencesOf("`".repeat(200_000) + "a`", "a: 1")).toEqual([]);
  });

  it("does not judge a fence-like line that is the text of an indented fence", () => {
    // The old scan saw column 0 only: it missed the first fence and judged its text as a bundle.
    expect(fencesOf(" ```", "```patchwarden-bundle", "a: 1", "```")).toEqual([["", "```patchwarden-bundle\na: 1\n"]]);
    expect(bundlesOf("  ~~~", ...FENCE, "  ~~~")).toEqual([]);
  });
});

describe("fences in block quotes and list items (CommonMark)", () => {
  it("finds a bundle fenced in a list item or a block quote, less the container's indentation or marks", () => {
    expect(fencesOf("1. Steps:", "", "   ```patchwarden-bundle", "   a: 1", "    b: 2", "   ```")).toEqual([["patchwarden-bundle", "a: 1\n b: 2\n"]]);
    expect(fencesOf("> ```patchwarden-bundle", "> a: 1", ">  b: 2", "> ```")).toEqual([["patchwarden-bundle", "a: 1\n b: 2\n"]]);
  });

  it("does not judge a fence-like line that is the text of a list item's fence", () => {
    expect(fencesOf("- ```sh", "  ```patchwarden-bundle", "  a: 1", "  ```")).toEqual([["sh", "```patchwarden-bundle\na: 1\n"]]);
  });

  it("ends a list item's fence where the item ends, and the fence opened after it hides a fence-like line", () => {
    expect(fencesOf("- x", "", "  ```", "text", "```", "```patchwarden-bundle", "a: 1", "```")).toEqual([
      ["", ""],
      ["", "```patchwarden-bundle\na: 1\n"],
    ]);
  });

  it("ends a block quote's fence at a line without `>`: that line may open a fence of its own", () => {
    expect(fencesOf("> ```sh", "> ls", "```patchwarden-bundle", "a: 1", "```")).toEqual([
      ["sh", "ls\n"],
      ["patchwarden-bundle", "a: 1\n"],
    ]);
  });
});

describe("a description the scan cannot place, which reports nothing past that point", () => {
  const scanOf = (...lines: string[]) => fencedBundles(lines.join("\n"), "issue-body");

  it("stops at nesting deeper than a description needs, and names the line when patchwarden is mentioned after it", () => {
    expect(scanOf(...FENCE, "- ".repeat(20) + "deep", "", ...FENCE)).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: 4 });
    // Nothing after it names patchwarden: no bundle can be there, so there is nothing to report.
    expect(scanOf(...FENCE, "- ".repeat(20) + "deep", "", "the end")).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: null });
    expect(scanOf("- ".repeat(5) + "nested", "", ...FENCE)).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: null });
  });

  it("follows 16 lists and quotes nested in each other, with a fence in the innermost, and stops at 17", () => {
    const nested = (depth: number) => {
      const q = "> ".repeat(depth);
      return scanOf(`${q}text`, `${q}\`\`\`patchwarden-bundle`, `${q}{"schema": "${SCHEMA}"}`, `${q}\`\`\``);
    };
    expect(nested(16)).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: null });
    expect(nested(17)).toEqual({ ok: true, bundles: [], lostAtLine: 1 });
  });

  it("stops at a setext underline after what may be link reference definitions (only those do not underline)", () => {
    expect(scanOf(...FENCE, "[docs]: https://example.org", "===", ...FENCE)).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: 5 });
    // A paragraph that cannot hold one is underlined as a heading, and the scan goes on.
    expect(scanOf("[docs] are here", "===", ...FENCE)).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: null });
  });
});

describe("line ends as CommonMark and Forgejo read them", () => {
  it("ends a line at a lone carriage return, so a fence inside the HTML comment it starts is hidden", () => {
    const body = `Note\r<!-- hidden\n${FENCE.join("\n")}\n-->\nvisible text`;
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: true, bundles: [], lostAtLine: null });
  });

  it("keeps a CRLF fence's line ends in the bundle's text", () => {
    expect(fencedBundles(FENCE.join("\r\n"), "issue-body")).toEqual({ ok: true, bundles: [{ ...BUNDLE, text: `{"schema": "${SCHEMA}"}\r\n` }], lostAtLine: null });
  });
});
