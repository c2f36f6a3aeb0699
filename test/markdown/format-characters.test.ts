import { describe, expect, it } from "vitest";
import { quote } from "../../src/diagnostics/diagnostic.js";
import { normalizeRepairTarget, targetsOverlap } from "../../src/locks/repair-target.js";
import { breakMentions, cellCode, codeSpan, escapeMarkdown } from "../../src/markdown/inline.js";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../../src/markdown/unsafe-characters.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

/** What a reader sees: format characters (zero-width space/joiners, word joiner, BOM, soft hyphen) take no room. */
const visible = (text: string): string => text.replace(/\p{Cf}/gu, "");

function targetLine(host: string, subject: string): string[] {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject }), item("autoheal-dashboard")], { target: { host, service: "openclaw-gateway.service" } });
  const body = renderMarkdown(evaluate(inputOf(bundle), policy, NOW));
  return body.split("\n").filter((line) => line.startsWith("**Target:**") || line.startsWith("| 0 |"));
}

const HIDDEN = [
  ["a zero-width space", "\u200b"],
  ["a zero-width non-joiner", "\u200c"],
  ["a zero-width joiner", "\u200d"],
  ["a word joiner", "\u2060"],
  ["a soft hyphen", "\u00ad"],
  ["a byte-order mark", "\ufeff"],
  ["a tag character (beyond U+FFFF)", "\u{e0041}"],
] as const;

describe("zero-width and other invisible format characters in producer text", () => {
  // UNSAFE_CHARACTERS covered controls and bidi marks, but not U+200B/U+200C/U+200D/U+2060 (nor
  // U+00AD), so `iskra\u200b` rendered exactly like `iskra` in the comment (and on the review page).
  // They are different hosts to the gate: a repair lock on `iskra` does not hold a candidate for
  // `iskra\u200b`, and items about `openclaw-gateway` and `openclaw-gate\u200bway` are not
  // duplicates, yet the operator read the same name in both places.
  it("never renders two different hosts or subjects as the same visible text", () => {
    // The gate tells them apart (a lease on one does not cover the other)…
    expect(targetsOverlap(normalizeRepairTarget({ host: "iskra" })!, normalizeRepairTarget({ host: "iskra\u200b" })!)).toBe(false);
    // …so the comment must too.
    const plain = targetLine("iskra", "openclaw-gateway");
    for (const [, hidden] of HIDDEN) {
      const shown = targetLine(`isk${hidden}ra`, `openclaw-gate${hidden}way`);
      expect(shown.map(visible)[0]).not.toBe(plain.map(visible)[0]);
      expect(shown.map(visible)[1]).not.toBe(plain.map(visible)[1]);
    }
  });

  it.each(HIDDEN)("writes out %s for a terminal or the review page", (_what, hidden) => {
    const code = hidden.codePointAt(0)!;
    const written = code <= 0xff ? `\\x${code.toString(16)}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\u{${code.toString(16)}}`;
    expect(writeOutUnsafe(`isk${hidden}ra`)).toBe(`isk${written}ra`);
  });

  it.each(HIDDEN)("blanks %s in comment text, code spans and quoted values", (_what, hidden) => {
    expect(escapeMarkdown(`isk${hidden}ra`)).toBe("isk ra");
    expect(codeSpan(`isk${hidden}ra`)).toBe("`isk ra`");
    expect(cellCode(`isk${hidden}ra`)).toBe("`isk ra`");
    expect(quote(`isk${hidden}ra`)).toBe("`isk ra`");
  });

  it("keeps the zero-width space breakMentions writes after `@`, so a comment passed through writeOutUnsafe still reads `@login`", () => {
    expect(escapeMarkdown("ask @piotr")).toBe("ask @\u200bpiotr");
    expect(codeSpan("@piotr")).toBe("`@\u200bpiotr`");
    expect(writeOutUnsafe(breakMentions("ask @piotr"))).toBe("ask @\u200bpiotr");
    // Anywhere else a zero-width space is the producer's, and shows.
    expect(writeOutUnsafe("ask\u200b @\u200bpiotr")).toBe("ask\\u200b @\u200bpiotr");
  });

  it("still lets names the schemas check hold them: refusing them is each schema's call, not the display's", () => {
    // UNSAFE_CHARACTER is what policy names and drift manifests refuse: lines and bidi, as before.
    expect(UNSAFE_CHARACTER.test("isk\u200bra")).toBe(false);
    expect(UNSAFE_CHARACTER.test("isk\u202era")).toBe(true);
  });
});
