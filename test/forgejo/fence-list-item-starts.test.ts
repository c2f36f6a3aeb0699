// Where a list item starts and what its content indentation is, as CommonMark (commonmark.js, the
// reference parser) and so Forgejo read it: it decides which lines a fence in the item takes.
import { Parser } from "commonmark";
import { describe, expect, it } from "vitest";
import { fenceBlocks, type FenceBlock } from "../../src/markdown/fence-blocks.js";

const parser = new Parser();

function referenceFences(text: string): FenceBlock[] {
  const fences: FenceBlock[] = [];
  const walker = parser.parse(text).walker();
  for (let step = walker.next(); step !== null; step = walker.next()) {
    const node = step.node;
    if (step.entering && node.type === "code_block" && (node as unknown as { _isFenced: boolean })._isFenced) {
      fences.push({ info: (/^[\w-]*/.exec(node.info ?? "")?.[0] ?? "").toLowerCase(), text: node.literal ?? "" });
    }
  }
  return fences;
}

function scan(lines: string[]): { fences: FenceBlock[]; lostAtLine: number | null } {
  const fences: FenceBlock[] = [];
  const scanner = fenceBlocks(lines);
  for (let next = scanner.next(); ; next = scanner.next()) {
    if (next.done === true) return { fences, lostAtLine: next.value.lostAtLine };
    fences.push(next.value);
  }
}

/** The fences found in these lines, after checking that the reference parser finds the same. */
function agreedFences(...lines: string[]): FenceBlock[] {
  const ours = scan(lines);
  expect(ours.lostAtLine, lines.join("\n")).toBeNull();
  expect(ours.fences, lines.join("\n")).toEqual(referenceFences(lines.join("\n")));
  return ours.fences;
}

const bundleFences = (fences: FenceBlock[]) => fences.filter((fence) => fence.info === "patchwarden-bundle");

describe("list items that may interrupt a paragraph", () => {
  it("lets only an ordered list starting at 1 interrupt a paragraph", () => {
    expect(bundleFences(agreedFences("Please check.", "0. ```patchwarden-bundle", "   {}", "   ```"))).toEqual([]);
    expect(bundleFences(agreedFences("Please check.", "2) ```patchwarden-bundle", "   {}", "   ```"))).toEqual([]);
    expect(agreedFences("Please check.", "1. ```patchwarden-bundle", "   {}", "   ```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });

  it("does not let an empty item interrupt a paragraph: the marker line is the paragraph's text", () => {
    expect(agreedFences("Please check.", "*", "  ```patchwarden-bundle", "{}", "```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
    expect(agreedFences("Please check.", "1.", "  ```patchwarden-bundle", "{}", "```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });

  it("takes a number of ten digits for text, not an item", () => {
    expect(bundleFences(agreedFences("1234567890. ```patchwarden-bundle", "{}", "```"))).toEqual([]);
    expect(agreedFences("123456789. ```patchwarden-bundle", "           {}", "           ```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });
});

describe("an item's content indentation", () => {
  it("reads text five columns or more after the marker as indented code, so a fence there is no fence", () => {
    expect(agreedFences("-     ```patchwarden-bundle", "      {}", "      ```")).toEqual([]);
    expect(agreedFences("1.     ```patchwarden-bundle", "       {}", "       ```")).toEqual([]);
    expect(agreedFences("-    ```patchwarden-bundle", "     {}", "     ```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });

  it("gives an item that starts blank, blanks after the marker and all, one column of padding", () => {
    // The item's content starts two columns in: the fence is the item's, and ends with it at `{}`.
    expect(agreedFences("-   ", "  ```patchwarden-bundle", "{}", "```")).toEqual([
      { info: "patchwarden-bundle", text: "" },
      { info: "", text: "" },
    ]);
    expect(agreedFences("-   ", "  ```patchwarden-bundle", "  {}", "  ```")).toEqual([{ info: "patchwarden-bundle", text: "{}\n" }]);
  });
});
