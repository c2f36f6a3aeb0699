// A fence's info string as CommonMark reads it (blanks before it are not part of it) and as bundle
// detection matches it (whatever its case).
import { describe, expect, it } from "vitest";
import { fencedBundles } from "../../src/forgejo/bundle-detection.js";
import { fenceBlocks } from "../../src/markdown/fence-blocks.js";

const SCHEMA = "patchwarden.evidence_bundle.v1";
const DOCUMENT = `{"schema": "${SCHEMA}"}`;
const bundlesOf = (...lines: string[]) => {
  const scan = fencedBundles(lines.join("\n"), "issue-body");
  if (!scan.ok) throw new Error(`not scanned (${scan.bytes} bytes)`);
  return scan.bundles;
};

describe("a fence's info string", () => {
  it("is read after the blanks that follow the fence", () => {
    for (const opener of ["``` patchwarden-bundle", "```\tpatchwarden-bundle", "~~~   patchwarden-bundle extra words"]) {
      expect([...fenceBlocks([opener, "x", opener.slice(0, 3)])], opener).toEqual([{ info: "patchwarden-bundle", text: "x\n" }]);
      expect(bundlesOf(opener, DOCUMENT, opener.slice(0, 3)), opener).toEqual([{ name: "issue-body-fenced-1.json", text: `${DOCUMENT}\n` }]);
    }
  });

  it("is matched whatever its case", () => {
    expect([...fenceBlocks(["```PatchWarden-Bundle", "x", "```"])]).toEqual([{ info: "patchwarden-bundle", text: "x\n" }]);
    expect(bundlesOf("```PATCHWARDEN-BUNDLE", DOCUMENT, "```")).toEqual([{ name: "issue-body-fenced-1.json", text: `${DOCUMENT}\n` }]);
    expect(bundlesOf("```JSON", DOCUMENT, "```")).toEqual([{ name: "issue-body-fenced-1.json", text: `${DOCUMENT}\n` }]);
    expect(bundlesOf("```YAML", `schema: ${SCHEMA}`, "```")).toEqual([{ name: "issue-body-fenced-1.yaml", text: `schema: ${SCHEMA}\n` }]);
  });
});
