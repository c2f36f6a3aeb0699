import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

describe("the verdict line of each verdict", () => {
  it("shows an eligible verdict green, with its info reason marked as information", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
    const body = renderMarkdown(verdict);
    expect(body.split("\n")[1]).toBe("### 🟢 Patchwarden gate: `eligible_repair_dry_run` — eligible for a repair dry run");
    expect(body).toMatch(/\n- ℹ️ `dry_run_only` — eligible for a dry run of `runtime_diagnostics` only;/);
    expect(renderText(verdict).split("\n")[0]).toBe("verdict: eligible_repair_dry_run (eligible for a repair dry run)");
  });

  it("shows a blocked verdict red, and says blocked", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard", { status: "fail" })])), policy, NOW);
    expect(verdict.verdict).toBe("blocked");
    expect(renderMarkdown(verdict).split("\n")[1]).toBe("### 🔴 Patchwarden gate: `blocked` — blocked");
    expect(renderText(verdict).split("\n")[0]).toBe("verdict: blocked (blocked)");
  });
});
