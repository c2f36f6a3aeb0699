// The fence scanner against CommonMark's reference parser (commonmark.js): for any document made
// of lines that stress the block structure (HTML blocks of every type, tabs, lists, quotes,
// indented and unclosed fences), both find the same fences with the same text. Where the scan
// loses track of the structure it must say so (lostAtLine) and have found a prefix of the fences.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceFences, scan } from "./fence-reference.js";

// Left out on purpose: a lone `</pre>`, `</script>`, `</style>` or `</textarea>` line (the spec
// and goldmark, Forgejo's renderer, start no HTML block there; commonmark.js does), and `<pre/>`
// (goldmark starts a type-1 block; commonmark.js does not). Their end markers come after text instead.
const LINES = [
  "```patchwarden-bundle", " ```json", "  ```", "   ```", "    ```", "~~~", "  ~~~~", "````", " ```` ", "```a`b", "~~~a`b", "\t```", "  \t```",
  "a: 1", "  b: 2", "    c: 3", "\td: 4", " \te", "\t\tf", "", "  ", "\t", "text", "more text", "[ref]: /url", "[x]",
  "<div>", "<DIV class=x>", "  <details>", "</div>", "<div", "<divx>", "<custom-tag>", "</custom>", '<a href="x">', "<a href=x> text",
  "<!--", "-->", "<!-- c -->", "<pre>", "end </pre>", "<script>", "end </script>", "<?x", "?>", "<!X", ">", "<![CDATA[", "]]>", "<textarea>", "end </textarea>",
  "- item", "-", "- ", "1. item", "2) x", "* * *", "  - nested", "   1. x", "-    x", "-\tx", "- ```", "1.  ```json", "-   ~~~", "- <!--", "- <div>",
  "x\r<!--", "x\r```json", "> quote", "> ```", ">", "> - a", ">     code", "  > ```", "> <div>", ">> ```", "# head", "---", "===", "text <div>", "- - -", "+ a", "10. x",
];

describe("fenceBlocks against commonmark.js", () => {
  it("finds the fences, and their text, that the reference parser finds", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 14 }), (lines) => {
        // Lone carriage returns end lines, as fencedBundles reads a description.
        const ours = scan(lines.join("\n").replace(/\r(?!\n)/g, "\n").split("\n"));
        // A fence left open at the end of the text: the reference ends its last line with a newline the text does not have.
        const reference = referenceFences(lines.join("\n")).map((fence, i) => (i === ours.fences.length - 1 && `${ours.fences[i]!.text}\n` === fence.text ? { ...fence, text: ours.fences[i]!.text } : fence));
        if (ours.lostAtLine === null) expect(ours.fences).toEqual(reference);
        else expect(ours.fences).toEqual(reference.slice(0, ours.fences.length));
      }),
      { numRuns: 4000 },
    );
  });
});
