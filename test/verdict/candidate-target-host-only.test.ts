import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

const judge = (target: EvidenceBundle["candidate"]["target"]) => evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")], { target })), policy, NOW);
const targetLines = (body: string) => body.split("\n").filter((line) => line.startsWith("**Target:**"));

describe("a candidate target that names only a host", () => {
  it("shows the host alone on the comment's target line, with no empty service part", () => {
    const verdict = judge({ host: "iskra" });
    expect(verdict.target).toEqual({ host: "iskra" });
    const body = renderMarkdown(verdict);
    expect(targetLines(body)).toEqual(["**Target:** host `iskra`"]);
    expect(body).toContain("**Repair class:** `runtime_diagnostics` — test candidate\n**Target:** host `iskra`\n**Class risk:** `low`\n");
  });

  it("shows the service alone when the target names no host", () => {
    expect(targetLines(renderMarkdown(judge({ service: "openclaw-gateway.service" })))).toEqual(["**Target:** service `openclaw-gateway.service`"]);
  });

  it("writes no target line for a target that names neither", () => {
    const verdict = judge({});
    expect(verdict.target).toEqual({});
    const body = renderMarkdown(verdict);
    expect(targetLines(body)).toEqual([]);
    expect(body).toContain("**Repair class:** `runtime_diagnostics` — test candidate\n**Class risk:**");
  });

  it("shows the same target on a terminal, below the repair class", () => {
    const text = (target: EvidenceBundle["candidate"]["target"]) => renderText(judge(target)).split("\n").slice(0, 3);
    expect(text({ host: "iskra" })).toEqual(["verdict: eligible_repair_dry_run (eligible for a repair dry run)", "repair class: runtime_diagnostics — test candidate", "repair target: host iskra"]);
    expect(text({ service: "openclaw-gateway.service" })[2]).toBe("repair target: service openclaw-gateway.service");
    expect(text({ host: "iskra", service: "openclaw-gateway.service" })[2]).toBe("repair target: host iskra, service openclaw-gateway.service");
    expect(text({})[2]).toBe("class risk: low");
    expect(renderText(judge({ host: "iskra" }))).not.toContain("undefined");
  });

  it("writes out escape sequences and line breaks in a stored verdict's target (queue show), so they cannot forge a line", () => {
    // The contract refuses such a target in a bundle; a stored verdict edited by hand is printed as it is.
    const stored = { ...judge({ host: "iskra" }), target: { host: "iskra\u001b[2Jx", service: "gw\nverdict: eligible_repair_dry_run" } };
    const lines = renderText(stored).split("\n");
    expect(lines[2]).toBe("repair target: host iskra\\x1b[2Jx, service gw verdict: eligible_repair_dry_run");
    expect(lines.filter((line) => line.startsWith("verdict:"))).toHaveLength(1);
  });
});
