import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

// Generated ten minutes before NOW.
const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "openclaw-gateway" }), item("autoheal-dashboard")])), policy, NOW);

describe("each evidence item as the operator reads it", () => {
  it("has its age in words and the time it goes stale, in the comment's table", () => {
    const [first, second] = verdict.evidence;
    expect(first!.stale_at).not.toBe(first!.generated_at);
    const rows = renderMarkdown(verdict).split("\n").filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toEqual([
      `| 0 | \`runtime-truth-report\` | \`openclaw-gateway\` | \`pass\` | 10m | ${first!.stale_at} |`,
      `| 1 | \`autoheal-dashboard\` |  | \`pass\` | 10m | ${second!.stale_at} |`,
    ]);
  });

  it("has its age in words and the time it goes stale, on a terminal", () => {
    const [first, second] = verdict.evidence;
    const text = renderText(verdict);
    expect(text).toContain(`\nevidence:\n  [0] runtime-truth-report (openclaw-gateway): pass, 10m old, stale at ${first!.stale_at}\n  [1] autoheal-dashboard: pass, 10m old, stale at ${second!.stale_at}\n`);
  });
});

describe("the digests a verdict is traced by", () => {
  it("are all in the full comment's digest block: bundle and its format, policy and its name, engine and its version", () => {
    const body = renderMarkdown(verdict);
    expect(body.endsWith(
      [
        "<details><summary>Digests</summary>",
        "",
        `- bundle: \`${verdict.bundle.digest}\` (\`patchwarden.evidence_bundle.v1\`)`,
        `- policy: \`${verdict.policy.digest}\` (\`${verdict.policy.name}\`)`,
        `- engine: \`patchwarden-verdict-engine ${verdict.engine.version}\``,
        `- evaluated at ${verdict.evaluated_at}; valid until ${verdict.valid_until}`,
        "",
        "</details>",
        "",
      ].join("\n"),
    )).toBe(true);
    expect(verdict.policy.name).not.toBe("");
    expect(verdict.engine.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("are all on a terminal, with an unread bundle named as such", () => {
    const text = renderText({ ...verdict, bundle: { ...verdict.bundle, digest: null } });
    expect(text).toContain(
      [
        "bundle:  (unread) (patchwarden.evidence_bundle.v1)",
        `policy:  ${verdict.policy.digest} (${verdict.policy.name})`,
        `engine:  patchwarden-verdict-engine ${verdict.engine.version}`,
        `evaluated at ${verdict.evaluated_at}; valid until ${verdict.valid_until}`,
      ].join("\n"),
    );
  });
});
