// Where a list item starts and what its content indentation is, as CommonMark (commonmark.js, the
// reference parser) and so Forgejo read it: it decides which lines a fence in the item takes.
import { describe, expect, it } from "vitest";
import type { FenceBlock } from "../../src/markdown/fence-blocks.js";
import { agreedFences } from "./fence-reference.js";

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
