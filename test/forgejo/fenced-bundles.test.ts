import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fencedBundles, MAX_SCANNED_BODY_BYTES } from "../../src/forgejo/bundle-detection.js";
import { fenceBlocks } from "../../src/markdown/fence-blocks.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import { testReader, useFakeForgejo } from "../helpers/fake-forgejo.js";

const SCHEMA = "patchwarden.evidence_bundle.v1";
const bundlesOf = (body: string) => {
  const scan = fencedBundles(body, "issue-body");
  if (!scan.ok) throw new Error(`not scanned (${scan.bytes} bytes)`);
  return scan.bundles;
};

describe("fenced bundles in a description", () => {
  it("finds a tagged fence and a json fence naming the bundle schema, not other fences", () => {
    const body = ["```patchwarden-bundle", "a: 1", "```", "```json", `{"schema": "${SCHEMA}"}`, "```", "```json", "{}", "```", "```sh", SCHEMA, "```"].join("\n");
    expect(bundlesOf(body)).toEqual([
      { name: "issue-body-fenced-1.yaml", text: "a: 1\n" },
      { name: "issue-body-fenced-2.json", text: `{"schema": "${SCHEMA}"}\n` },
    ]);
  });

  it("closes a fence only with the same character, at least as long, and nothing after it but blanks", () => {
    const body = ["````patchwarden", "```", "~~~~", "```` x", "`````  \t", "after"].join("\n");
    expect(bundlesOf(body)).toEqual([{ name: "issue-body-fenced-1.yaml", text: "```\n~~~~\n```` x\n" }]);
  });

  it("reads a tilde fence and a description written with CRLF line ends", () => {
    expect(bundlesOf("text\r\n~~~patchwarden-bundle\r\nb: 2\r\n~~~\r\n")).toEqual([{ name: "issue-body-fenced-1.yaml", text: "b: 2\r\n" }]);
  });

  it("runs a fence left open to the end of the description, once (CommonMark), so a tagged one is still judged", () => {
    expect(bundlesOf("```patchwarden-bundle\nc: 3\n```json\n")).toEqual([{ name: "issue-body-fenced-1.yaml", text: "c: 3\n```json\n" }]);
    expect(bundlesOf("```sh\nunclosed\n```patchwarden-bundle\nd: 4\n```\n")).toEqual([]);
  });

  it("finds no bundle inside an HTML comment, which Forgejo does not show, however it is written", () => {
    const fence = ["```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```"];
    expect(bundlesOf(["Nothing to see here.", "<!--", ...fence, "-->", ""].join("\n"))).toEqual([]);
    // Blank lines do not end it, nor a fence's closing line; only a line holding `-->` does.
    expect(bundlesOf(["  <!-- hidden:", "", ...fence, "", "end -->", "```json", `{"schema": "${SCHEMA}"}`, "```"].join("\n"))).toEqual([{ name: "issue-body-fenced-1.json", text: `{"schema": "${SCHEMA}"}\n` }]);
    // Left open, it runs to the end of the description.
    expect(bundlesOf(["<!--", ...fence].join("\r\n"))).toEqual([]);
    // A comment that ends on its own line hides nothing after it.
    expect(bundlesOf(["<!-- a note -->", ...fence].join("\n"))).toHaveLength(1);
    expect(bundlesOf(["<!-->", ...fence].join("\n"))).toHaveLength(1);
  });

  it("treats `<!--` inside a fence as the fence's text, and a comment opener indented four spaces as code", () => {
    expect(bundlesOf(["```sh", "<!--", "```", "```patchwarden-bundle", "a: 1", "```", "-->"].join("\n"))).toEqual([{ name: "issue-body-fenced-1.yaml", text: "a: 1\n" }]);
    expect(bundlesOf(["```patchwarden-bundle", "note: <!-- kept -->", "<!--", "```"].join("\n"))).toEqual([{ name: "issue-body-fenced-1.yaml", text: "note: <!-- kept -->\n<!--\n" }]);
    expect(bundlesOf(["    <!--", "```patchwarden-bundle", "a: 1", "```"].join("\n"))).toHaveLength(1);
  });

  it("finds no bundle in the other HTML blocks that run to an end marker: script, style, pre, textarea, <? ?>, <!X >, CDATA", () => {
    const fence = ["```patchwarden-bundle", "a: 1", "```"];
    for (const [open, close] of [["<script>", "</script>"], ["<STYLE type=x>", "</style>"], ["<pre", "</pre>"], ["<textarea>", "</TEXTAREA>"], ["<?php", "?>"], ["<!DOCTYPE x", ">"], ["<![CDATA[", "]]>"]]) {
      expect(bundlesOf([open, "", ...fence, "", close, ...fence].join("\n")), open).toEqual([{ name: "issue-body-fenced-1.yaml", text: "a: 1\n" }]);
    }
    // Other tags (`<details>`, `<div>`) end at a blank line in CommonMark, and a fence after it is shown.
    expect(bundlesOf(["<details>", "", ...fence, "</details>"].join("\n"))).toHaveLength(1);
  });

  it("looks at each line once, however many openers are left unclosed (no backtracking)", () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 2 === 0 ? "```x" : "~~~~y"));
    let passes = 0;
    let pulled = 0;
    const oneShot: Iterable<string> = {
      [Symbol.iterator]() {
        passes++;
        const inner = lines[Symbol.iterator]();
        return { next: () => (pulled++, inner.next()) };
      },
    };
    const blocks = [...fenceBlocks(oneShot)];
    expect(passes).toBe(1);
    expect(pulled).toBe(lines.length + 1);
    // Lines that look like fences but are not closing ones: the first opener swallows the rest.
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.info).toBe("x");
  });

  it("scans a hostile description of unclosed openers just under the cap", () => {
    const line = "```x\n";
    const body = line.repeat(Math.floor(MAX_SCANNED_BODY_BYTES / line.length));
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: true, bundles: [], lostAtLine: null });
  });

  it("does not scan a description over the cap that names patchwarden, and says how large it is", () => {
    const body = `\`\`\`patchwarden-bundle\n${"x".repeat(MAX_SCANNED_BODY_BYTES)}\n\`\`\`\n`;
    expect(fencedBundles(body, "issue-body")).toEqual({ ok: false, bytes: Buffer.byteLength(body) });
  });

  it("passes a description over the cap that cannot hold a fenced bundle (it never names patchwarden)", () => {
    expect(fencedBundles("log line\n".repeat(MAX_SCANNED_BODY_BYTES / 8), "issue-body")).toEqual({ ok: true, bundles: [], lostAtLine: null });
  });
});

describe("an issue whose description cannot be scanned whole", () => {
  const REPO = "o/r";
  const forgejo = useFakeForgejo();
  const reader = () => testReader({ maxBytes: 4 << 20 });
  const job = { trigger: "label" as const, repo: REPO, number: 3, isPull: false, sender: "root" };

  it("gets a blocked proposal saying so, not silence and not `no bundle`", async () => {
    const body = `Please check.\n\n\`\`\`patchwarden-bundle\n${"k: v\n".repeat(60_000)}\`\`\`\n`;
    forgejo.fake.issue(REPO, 3, { body });
    const units = await fetchEvidence(reader(), job, { evidenceGlobs: [], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({
      target: { repo: REPO, kind: "issue", number: 3 },
      snapshot: { bundle: null, problemCode: "bundle_too_large", problem: `o/r#3: the description is too large to scan for fenced bundles (${Buffer.byteLength(body)} bytes, at most ${MAX_SCANNED_BODY_BYTES}); attach the bundle as a \`*.bundle.json\` file instead, then ask again` },
    });
    expect(forgejo.fake.violations).toEqual([]);
  });

  it("judges the bundles before a line whose Markdown cannot be followed, and says why none after it is", async () => {
    const fence = ["```patchwarden-bundle", `{"schema": "${SCHEMA}"}`, "```"];
    const body = [...fence, "[docs]: https://example.org", "---", ...fence].join("\n");
    forgejo.fake.issue(REPO, 3, { body });
    const units = await fetchEvidence(reader(), job, { evidenceGlobs: [], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units.map((unit) => unit.snapshot.name)).toEqual(["issue-body-fenced-1.json", "description"]);
    expect(units[1]).toMatchObject({
      target: { repo: REPO, kind: "issue", number: 3 },
      snapshot: {
        origin: "o/r#3, description from line 5",
        bundle: null,
        problemCode: "bundle_unreadable",
        problem:
          "o/r#3: the description's Markdown cannot be followed from line 5 (lists and quotes nested more than 16 deep, or a `===` or `---` line under what may be link definitions), so a fenced bundle after it cannot be told from text Forgejo does not show as one; put the bundle above that line or attach it as a `*.bundle.json` file, then ask again",
      },
    });
    expect(forgejo.fake.violations).toEqual([]);
  });
});
