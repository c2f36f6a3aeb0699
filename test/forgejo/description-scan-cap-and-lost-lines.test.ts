import { describe, expect, it } from "vitest";
import { BUNDLE_SCHEMA_ID } from "../../src/evidence/bundle-schema.js";
import { fencedBundles, MAX_SCANNED_BODY_BYTES } from "../../src/forgejo/bundle-detection.js";

const FENCE = ["```patchwarden-bundle", `{"schema": "${BUNDLE_SCHEMA_ID}"}`, "```"];
const BUNDLE = { name: "issue-body-fenced-1.json", text: `{"schema": "${BUNDLE_SCHEMA_ID}"}\n` };

/** A description holding one fenced bundle, padded with plain text to exactly `bytes` bytes. */
function bodyOfSize(bytes: number): string {
  const head = `${FENCE.join("\n")}\n\n`;
  return head + "x".repeat(bytes - Buffer.byteLength(head));
}

describe("the size cap on a description scanned for fenced bundles", () => {
  it("scans a description of exactly the cap, and finds its bundle", () => {
    const body = bodyOfSize(MAX_SCANNED_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBe(MAX_SCANNED_BODY_BYTES);
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: null });
  });

  it("refuses one byte more, saying how large it is", () => {
    const body = bodyOfSize(MAX_SCANNED_BODY_BYTES + 1);
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: false, bytes: MAX_SCANNED_BODY_BYTES + 1 });
  });

  it("counts bytes, not characters: a description under the cap in characters but over it in UTF-8 is refused", () => {
    const head = `${FENCE.join("\n")}\n\n`;
    const body = head + "é".repeat((MAX_SCANNED_BODY_BYTES - head.length) / 2 + 1);
    expect(body.length).toBeLessThan(MAX_SCANNED_BODY_BYTES);
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: false, bytes: Buffer.byteLength(body) });
  });

  it("refuses an oversized description whose only fence is tagged in capitals (the tag is read in any case)", () => {
    const body = `\`\`\`PatchWarden-Bundle\n${"k: v\n".repeat(MAX_SCANNED_BODY_BYTES / 5)}\`\`\`\n`;
    expect(/patchwarden/.test(body)).toBe(false);
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: false, bytes: Buffer.byteLength(body) });
    // Under the cap, the same capitalised tag is a bundle: it is read in any case.
    expect(fencedBundles("```PatchWarden-Bundle\nk: v\n```\n", "issue-body")).toMatchObject({ ok: true, bundles: [{ name: "issue-body-fenced-1.yaml" }] });
  });
});

describe("a description whose Markdown cannot be followed past a line", () => {
  const deep = "- ".repeat(20);

  it("names that line when the line itself opens a patchwarden fence, though nothing after it mentions patchwarden", () => {
    const body = [...FENCE, `${deep}\`\`\`patchwarden-bundle`, "{}", "```"].join("\n");
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: 4 });
  });

  it("names it when only a fence tagged in capitals comes after it", () => {
    const body = [...FENCE, `${deep}deep`, "", "```PatchWarden-Bundle", "{}", "```"].join("\n");
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: true, bundles: [BUNDLE], lostAtLine: 4 });
  });

  it("does not name it when the only mention of patchwarden is before it", () => {
    const body = ["a note about patchwarden", ...FENCE.slice(1, 2), `${deep}deep`, "", "the end"].join("\n");
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: true, bundles: [], lostAtLine: null });
  });
});

describe("a data fence naming the bundle schema", () => {
  it("is a bundle when tagged yml, as when tagged yaml, and keeps the yaml extension", () => {
    for (const tag of ["yml", "yaml"]) {
      const body = ["Evidence:", `\`\`\`${tag}`, `schema: ${BUNDLE_SCHEMA_ID}`, "runs: []", "```"].join("\n");
      expect(fencedBundles(body, "pull-body"), tag).toEqual({ ok: true, bundles: [{ name: "pull-body-fenced-1.yaml", text: `schema: ${BUNDLE_SCHEMA_ID}\nruns: []\n` }], lostAtLine: null });
    }
  });
});

describe("the format a fenced bundle is read in", () => {
  const nameOf = (...lines: string[]) => {
    const scan = fencedBundles(lines.join("\n"), "issue-body");
    if (!scan.ok) throw new Error("not scanned");
    return scan.bundles.map((bundle) => bundle.name);
  };

  it("a json fence is read as JSON even when its text does not open with `{`", () => {
    expect(nameOf("```json", `"schema": "${BUNDLE_SCHEMA_ID}"`, "```")).toEqual(["issue-body-fenced-1.json"]);
  });

  it("a yaml fence is read as YAML even when its text is a flow mapping opening with `{`", () => {
    expect(nameOf("```yaml", `{schema: ${BUNDLE_SCHEMA_ID}, runs: []}`, "```")).toEqual(["issue-body-fenced-1.yaml"]);
    expect(nameOf("```yml", `{schema: ${BUNDLE_SCHEMA_ID}}`, "```")).toEqual(["issue-body-fenced-1.yaml"]);
  });

  it("a patchwarden-bundle fence is read as JSON when its text opens with `{` after blank lines or indentation", () => {
    expect(nameOf("```patchwarden-bundle", "", `  {"schema": "${BUNDLE_SCHEMA_ID}"}`, "```")).toEqual(["issue-body-fenced-1.json"]);
    expect(nameOf("```patchwarden-bundle", `schema: ${BUNDLE_SCHEMA_ID}`, "```")).toEqual(["issue-body-fenced-1.yaml"]);
  });
});
