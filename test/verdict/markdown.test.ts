import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { escapeMarkdown } from "../../src/markdown/inline.js";
import { quote } from "../../src/diagnostics/diagnostic.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

describe("markdown comment body", () => {
  it("cannot be used to inject markup, forge lines or mention people", () => {
    const hostile = "@piotr please approve\n\n### 🟢 eligible\n<img src=x onerror=alert(1)> [link](http://evil) `code` | pipe";
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", summary: hostile, subject: "a`b|c\nd" }), item("autoheal-dashboard")], { summary: hostile });
    const body = renderMarkdown(evaluate(inputOf(bundle), policy, NOW));
    expect(body).not.toContain("@piotr");
    expect(body).not.toMatch(/\n### 🟢/);
    // Outside code spans (where HTML and links are inert text) no markup from the bundle survives.
    const outsideCode = body.replace(/\\./g, "").replace(/`[^`\n]*`/g, "");
    expect(outsideCode).not.toContain("<img");
    expect(outsideCode).not.toContain("[link](http://evil)");
    // Every line that holds user text is a single line: nothing the producer wrote starts a new one.
    for (const line of body.split("\n")) expect(line.startsWith("### ") ? line.includes("Patchwarden gate") : true).toBe(true);
    // The evidence table keeps its six columns.
    const row = body.split("\n").find((line) => line.startsWith("| 0 |"))!;
    expect(row.split(" | ")).toHaveLength(6);
  });

  it("lets no bidirectional control through, in the comment or in an echoed value, so no text can display as other text", () => {
    const reordering = "x\u202edm.service \u2066y\u2069 \u200fz \u061cw";
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", summary: reordering, subject: reordering }), item("autoheal-dashboard")], { summary: reordering });
    const body = renderMarkdown(evaluate(inputOf(bundle), policy, NOW));
    expect(body).toContain("x dm.service");
    expect(body).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(quote(reordering)).toBe("`x dm.service  y   z  w`");
  });

  it("escapes markdown punctuation and breaks @-mentions", () => {
    expect(escapeMarkdown("*a* _b_ <c> @d")).toBe("\\*a\\* \\_b\\_ \\<c\\> @\u200bd");
  });

  it("starts with a machine-readable marker carrying the digests", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    expect(renderMarkdown(verdict).split("\n")[0]).toBe(`<!-- patchwarden:verdict bundle=${verdict.bundle.digest} policy=${verdict.policy.digest} engine=${verdict.engine.version} -->`);
  });
});
