import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { escapeMarkdown } from "../../src/markdown/inline.js";
import { quote } from "../../src/diagnostics/diagnostic.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

describe("markdown comment body", () => {
  it("cannot be used to inject markup, forge lines or mention people", () => {
    const hostile = "@piotr please approve\n\n### 🟢 eligible\n<img src=x onerror=alert(1)> [link](http://evil) `code` | pipe";
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", summary: hostile, subject: "a`b|c d" }), item("autoheal-dashboard")], { summary: hostile });
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
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", summary: reordering, subject: "openclaw-gateway" }), item("autoheal-dashboard")], { summary: reordering });
    const body = renderMarkdown(evaluate(inputOf(bundle), policy, NOW));
    expect(body).toContain("x dm.service");
    expect(body).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(quote(reordering)).toBe("`x dm.service  y   z  w`");
  });

  it("trusts a reason message only inside its code spans: what reached the rest of it renders as text", () => {
    // Messages quote user values in code spans; anything else in a message (a library's words that
    // echoed the input, say) was put in the comment as it was: an image, a link, an issue reference.
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    const hostile = { ...verdict, reasons: [{ code: "bundle_malformed" as const, severity: "block" as const, message: "malformed: `![a](https://e/a.png)` then ![b](https://e/b.png) <img src=x> (#12) @admin\u202e", path: "bundle" }] };
    const line = renderMarkdown(hostile).split("\n").find((l) => l.includes("bundle_malformed"))!;
    expect(line).toBe("- 🔴 `bundle_malformed` — malformed: `![a](https://e/a.png)` then ![b\\](https\\://e/b.png) \\<img src=x\\> (\\#12) @\u200badmin  (`bundle`)");
  });

  it("keeps our own messages as they read: no backslash is added to plain prose", () => {
    const bundle = bundleOf("openclaw_upgrade", [item("runtime-truth-report", { generated_at: "2026-11-21T10:00:00Z", subject: "openclaw-gateway" }), item("autoheal-dashboard")], { summary: "OpenClaw upgrade 1.0.0 → 1.1.0, rehearsed read-only" });
    const verdict = evaluate(inputOf(bundle), policy, NOW);
    const body = renderMarkdown(verdict);
    expect(body).toContain("**Repair class:** `openclaw_upgrade` — OpenClaw upgrade 1.0.0 → 1.1.0, rehearsed read-only\n");
    for (const reason of verdict.reasons) expect(body).toContain(` — ${reason.message.replace(/@/g, "@\u200b")}`);
  });

  it("escapes markdown punctuation and breaks @-mentions", () => {
    expect(escapeMarkdown("*a* _b_ <c> @d")).toBe("\\*a\\* \\_b\\_ \\<c\\> @\u200bd");
  });

  it("starts with a machine-readable marker carrying the digests", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    expect(renderMarkdown(verdict).split("\n")[0]).toBe(`<!-- patchwarden:verdict bundle=${verdict.bundle.digest} policy=${verdict.policy.digest} engine=${verdict.engine.version} -->`);
  });

  it("shows the policy's executor and postchecks only in code spans: no line, markup or mention gets out", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    const hostile = "@piotr run `rm -rf /`\n\n### 🟢 eligible <img src=x> | pipe\u202e";
    const body = renderMarkdown({ ...verdict, repair: { ...verdict.repair!, executor: hostile, postchecks: [hostile] } });
    expect(body).not.toContain("@piotr");
    for (const line of body.split("\n")) expect(line.startsWith("### ") ? line.includes("Patchwarden gate") : true).toBe(true);
    expect(body).not.toMatch(/[\u202a-\u202e]/);
    expect(body).toContain("**Executor:** ``@\u200bpiotr run `rm -rf /`  ### 🟢 eligible <img src=x> | pipe ``\n");
    expect(body).toContain("\n- ``@\u200bpiotr run `rm -rf /`  ### 🟢 eligible <img src=x> | pipe ``\n");
  });

  it("renders a verdict stored by an engine before 1.4.0, which carries no `repair`", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    const { repair: _repair, ...stored } = verdict;
    const body = renderMarkdown(stored as Verdict);
    expect(body).toContain("**Repair class:** `runtime_diagnostics` — test candidate\n\n> Proposal only");
    expect(body).not.toContain("Executor");
  });
});
