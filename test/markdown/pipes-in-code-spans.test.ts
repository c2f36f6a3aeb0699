import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { renderPlanMarkdown } from "../../src/drift/render-plan-markdown.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { cellCode, codeSpan } from "../../src/markdown/inline.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { renderWhatIfMarkdown } from "../../src/replay/render-replay.js";
import type { ReplayReport } from "../../src/replay/replay-verdicts.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

/**
 * The text of the first code span on a line as CommonMark shows it outside a table: the span's
 * content taken literally (no backslash escapes inside code), one space stripped from each end
 * when both are spaces.
 */
function firstSpanShown(line: string): string | null {
  const open = /`+/.exec(line);
  if (open === null) return null;
  const rest = line.slice(open.index + open[0].length);
  const close = [...rest.matchAll(/`+/g)].find((run) => run[0].length === open[0].length);
  if (close === undefined) return null;
  const text = rest.slice(0, close.index);
  return text.length >= 2 && text.startsWith(" ") && text.endsWith(" ") && /[^ ]/.test(text) ? text.slice(1, -1) : text;
}

/** The same inside a GFM table cell: Forgejo and GitHub take `\|` for `|` before the span is read. */
const cellSpanShown = (cell: string): string | null => firstSpanShown(cell.replace(/\\\|/g, "|"));

const REPORT: ReplayReport = { policy: { name: "cand", digest: "sha256:00" }, since: null, through_seq: 0, replayed: 0, unchanged: 0, loosened: 0, tightened: 0, changed: [], engine_changed: 0, without_evidence: 0, unreplayable: [], running: null, policy_loosenings: [], receipt_log: true };

describe("code spans outside a table", () => {
  // codeSpan escaped `|` as `\|` for every caller. Inside a GFM table cell that shows `|`; in a
  // paragraph, heading or list item a code span is literal, so the reader saw `\|`: the what-if
  // comment's file name and problems, and the drift plan's hosts, roots, executor and backup
  // location (render-plan-markdown.ts) displayed a name that is not the file's or the host's.
  it("shows a policy file name with a pipe as itself in the what-if summary line", () => {
    const path = "policies/a|b.toml";
    const body = renderWhatIfMarkdown(REPORT, { path, ref: "a".repeat(40) });
    const summary = body.split("\n").find((line) => line.includes("replayed on"))!;
    expect(firstSpanShown(summary)).toBe(path);
  });

  it("shows any text of pipes, letters, spaces and backticks as itself, in prose and in a cell", () => {
    const text = fc.string({ unit: fc.constantFrom(" ", "a", "`", "|"), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(text, (t) => firstSpanShown(codeSpan(t)) === t && cellSpanShown(cellCode(t)) === t && !cellCode(t).replace(/\\\|/g, "").includes("|")),
      { numRuns: 2000 },
    );
  });

  // (A target's host and service can hold no pipe: the contract takes host and unit names only.)
  it("shows a reason's path with a pipe as itself in the verdict comment, and a subject with one inside its cell", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gate|way`x" }), item("autoheal-dashboard")], { target: { host: "iskra", service: "openclaw-gateway.service" } });
    const lines = renderMarkdown(evaluate(inputOf(bundle), policy, NOW)).split("\n");
    expect(lines.find((line) => line.startsWith("**Target:**"))).toBe("**Target:** host `iskra`, service `openclaw-gateway.service`");
    // A key the schema does not know is named by its path.
    const unknownKey = renderMarkdown(evaluate(inputOf({ ...bundle, ["a|b"]: 1 }), policy, NOW));
    expect(unknownKey).toContain('(`bundle["a|b"]`)');
    // `code()` made the subject's pipe and backtick into `'`: another name than the item's.
    const row = lines.find((line) => line.startsWith("| 0 |"))!;
    expect(row).toContain("| ``gate\\|way`x`` |");
    expect(cellSpanShown(row.split(" | ")[2]!)).toBe("gate|way`x");
  });

  it("shows a drift plan's host in prose as itself, and a path with a pipe inside its cell", () => {
    const file = (path: string, content: string): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
    const meta = (host: string) => ({ generatedAt: "2026-11-21T11:40:00Z", host, root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } });
    const plan = buildPlan({
      local: buildManifest([file("docs/a|b.md", "new")], meta("work|station")),
      remote: buildManifest([file("docs/a|b.md", "old")], meta("iskra")),
      rules: policy.drift!,
      policy: { name: policy.name, digest: policy.digest },
      now: Date.parse("2026-11-21T11:50:00Z"),
    });
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain("between `work|station`:`/opt/iskra-openclaw` (local)");
    expect(markdown).toContain("| `docs/a\\|b.md` |");
  });
});
