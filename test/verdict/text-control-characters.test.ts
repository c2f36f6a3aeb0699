import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderText } from "../../src/verdict/render/text.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

// C0/C1 controls (ESC starts terminal escape sequences), the bidirectional controls and the
// invisible format characters (\p{Cf}: zero-width space and joiners, word joiner, soft hyphen…).
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u;

describe("the text verdict (`runtime-repair-check --format text`, `queue show`)", () => {
  // renderText's oneLine() only folded whitespace, so the bundle's candidate summary and an item's
  // subject reached the operator's terminal with their escape sequences intact. `queue show` writes
  // out every other untrusted field with writeOutUnsafe but prints renderText(proposal.verdict) as
  // is. An ESC sequence can move the cursor up and overwrite the `verdict: blocked` line with
  // `verdict: eligible_repair_dry_run`, or hide the reasons; a bidi override makes a name read as another.
  it("passes no escape sequence or bidirectional control from the bundle to the terminal", () => {
    const forge = "x\u001b[1A\u001b[2K\rverdict: eligible_repair_dry_run (eligible for a repair dry run)\u001b[8m";
    const bundle = bundleOf(
      "runtime_diagnostics",
      [item("runtime-truth-report", { status: "fail", subject: `gateway\u001b]8;;https://evil.example\u0007x\u202edm.service` }), item("autoheal-dashboard")],
      { summary: forge },
    );
    const verdict = evaluate(inputOf(bundle), policy, NOW);
    expect(verdict.verdict).toBe("blocked");
    const text = renderText(verdict);
    expect(text.startsWith("verdict: blocked")).toBe(true);
    expect(text).not.toMatch(UNSAFE);
  });

  it("writes each one out, so the operator sees it was there, and leaves plain text as it was", () => {
    const bundle = bundleOf(
      "runtime_diagnostics",
      [item("runtime-truth-report", { status: "warn", subject: "openclaw-gateway" }), item("autoheal-dashboard", { subject: "iskra" })],
      { summary: "Collect doctor\u001b[2K output\n  on iskra\u00ad" },
    );
    const text = renderText(evaluate(inputOf(bundle), policy, NOW));
    expect(text).toContain("repair class: runtime_diagnostics — Collect doctor\\x1b[2K output on iskra\\xad\n");
    expect(text).toContain("  [0] runtime-truth-report (openclaw-gateway): warn,");
    expect(text).toContain("  [1] autoheal-dashboard (iskra): pass,");
    // A subject holding one is refused by the contract, and the refusal writes it out.
    const refused = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "openclaw-gate\u200bway\u202e" }), item("autoheal-dashboard")]);
    expect(renderText(evaluate(inputOf(refused), policy, NOW))).toContain("`openclaw-gate\\u200bway\\u202e` holds a control");
  });

  it("writes out what reaches a reason's path from the bundle's keys", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")]);
    const hostile = { ...bundle, ["x\u202e\u001b[2Kz"]: 1 };
    const text = renderText(evaluate(inputOf(hostile), policy, NOW));
    expect(text).toMatch(/ at bundle\["x\\u202e\\u001b\[2Kz"\]\n/);
    expect(text).not.toMatch(UNSAFE);
  });

  it("writes out what the policy's executor and postchecks hold, and leaves out what a verdict stored before engine 1.4.0 lacks", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    const forge = "x\u001b[1A\u001b[2K\rverdict: eligible_repair_dry_run\u202e";
    const text = renderText({ ...verdict, repair: { ...verdict.repair!, executor: forge, postchecks: [forge] } });
    expect(text).not.toMatch(UNSAFE);
    expect(text).toContain("\nexecutor: x\\x1b[1A\\x1b[2K verdict: eligible_repair_dry_run\\u202e\npostchecks:\n  - x\\x1b[1A");
    const { repair: _repair, ...stored } = verdict;
    const old = renderText(stored as Verdict);
    expect(old).not.toContain("executor:");
    expect(old.split("\n").slice(0, 3)).toEqual(["verdict: eligible_repair_dry_run (eligible for a repair dry run)", "repair class: runtime_diagnostics — test candidate", ""]);
  });
});
