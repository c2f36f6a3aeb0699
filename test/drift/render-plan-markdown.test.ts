import { describe, expect, it } from "vitest";
import { buildManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { cellCode, codeSpan as code, escapeMarkdown } from "../../src/markdown/inline.js";
import { MAX_TABLE_ROWS, renderPlanMarkdown } from "../../src/drift/render-plan-markdown.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { PLANNED_AT, planFor } from "./fixture-set.js";

const policy = await readPolicy();
const file = (path: string, content = path): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
const meta = (host: string) => ({ generatedAt: "2026-11-21T11:40:00Z", host, root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } });
const planOf = (local: ManifestEntry[], remote: ManifestEntry[]) =>
  buildPlan({ local: buildManifest(local, meta("workstation")), remote: buildManifest(remote, meta("iskra")), rules: policy.drift!, policy: { name: policy.name, digest: policy.digest }, now: PLANNED_AT });
const tableRows = (markdown: string) => markdown.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| risk") && !line.startsWith("| ---") && !line.startsWith("| path"));

describe("the drift plan in markdown", () => {
  it("reads in a minute: summary, files, risk, executor, checks, receipt", () => {
    const markdown = renderPlanMarkdown(planFor(policy, "iskra-unit-behind"));
    expect(markdown).toContain("### 🔴 Deploy drift: 1 file(s) differ — risk **high**, hard-manual: `service_restart`");
    expect(markdown).toContain("| 🔴 high · `service_restart` | changed: content | `systemd/user/openclaw-gateway.service` | `/home/iskra/.config/systemd/user/openclaw-gateway.service` |");
    expect(markdown).toContain("**Executor:** `scripts/iskra-openclaw-deploy.sh` (the canonical deploy runbook; Patchwarden is not a deployer)");
    expect(markdown).toContain("- the deploy lock `/run/lock/iskra-openclaw-deploy.lock` is free");
    expect(markdown).toContain("- 1 file(s) to be overwritten or removed are backed up to");
    expect(markdown).toContain("**An apply receipt must record:** `accepted_by`, `accepted_at`, `plan_digest`");
    expect(markdown).toContain("Proposal only: Patchwarden copied, synced, deployed and restarted nothing.");
    expect(markdown).toContain("supersedes `pdurlej/iskra-openclaw#142` as source material, not as implementation");
  });

  it("says when there is nothing to deploy", () => {
    const markdown = renderPlanMarkdown(planFor(policy, "iskra-in-sync"));
    expect(markdown).toContain("### 🟢 Deploy drift: none — nothing to deploy");
    expect(tableRows(markdown)).toEqual([]);
    expect(markdown).toContain("- nothing is overwritten or removed, so nothing needs a backup");
  });

  it("warns when the manifests skipped different globs", () => {
    expect(renderPlanMarkdown(planFor(policy, "iskra-docs-behind-ignoring-logs"))).toContain("The manifests skipped different globs (local: none; remote: `**/*.log`)");
  });

  it("names the globs both manifests skipped, in the summary and with the manifests, so 'all files match' hides nothing", () => {
    const skip = ["systemd/**", "**/*.env"];
    const skipping = (host: string, ignore: string[]) => buildManifest([file("README.md"), file("docs/runbook.md")], { ...meta(host), ignore });
    const plan = (local: string[], remote: string[], remoteEntries?: ManifestEntry[]) =>
      buildPlan({
        local: skipping("workstation", local),
        remote: remoteEntries === undefined ? skipping("iskra", remote) : { ...buildManifest(remoteEntries, meta("iskra")), ignore: remote },
        rules: policy.drift!,
        policy: { name: policy.name, digest: policy.digest },
        now: PLANNED_AT,
      });
    const inSync = renderPlanMarkdown(plan(skip, [...skip].reverse()));
    expect(inSync).toContain("All 2 file(s) of `workstation`:`/opt/iskra-openclaw` match `iskra`:`/opt/iskra-openclaw`; skipped on both sides: `systemd/**`, `**/*.env`.");
    expect(inSync).toContain("- skipped on both sides: `systemd/**`, `**/*.env`; a file they match is in neither manifest, so no plan can say it matches");
    const drifted = renderPlanMarkdown(plan(skip, ["systemd/**"], [file("README.md", "old")]));
    expect(drifted).toContain("(0 unchanged) between `workstation`:`/opt/iskra-openclaw` (local) and `iskra`:`/opt/iskra-openclaw` (remote); skipped on both sides: `systemd/**`.");
    expect(renderPlanMarkdown(plan([], []))).toContain("; skipped on both sides: none.");
  });

  it("keeps hostile file names inside their cells: no broken tables, markup or mentions", () => {
    const names = ["docs/a|b.md", "docs/`tick`.md", "docs/@operator.md", "docs/<img src=x onerror=alert(1)>.md", "docs/**bold**.md", "docs/``.md"];
    const markdown = renderPlanMarkdown(planOf(names.map((n) => file(n, "new")), names.map((n) => file(n, "old"))));
    const rows = tableRows(markdown).slice(0, names.length);
    expect(rows).toHaveLength(names.length);
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(8);
    expect(markdown).not.toMatch(/@operator/);
    expect(markdown).toContain("``docs/`tick`.md``");
    expect(markdown).toContain("`docs/<img src=x onerror=alert(1)>.md`");
  });

  it("shows a path with a leading and a trailing space as itself: ` README.md ` is not `README.md`", () => {
    const markdown = renderPlanMarkdown(planOf([file("README.md"), file(" README.md ", "another file")], [file("README.md")]));
    const rows = tableRows(markdown).filter((row) => row.includes("added"));
    expect(rows).toHaveLength(1);
    // CommonMark strips one space from each end of `  README.md  `, leaving ` README.md `.
    expect(rows[0]).toContain("| `  README.md  ` |");
  });

  it("lists the riskiest files first and cuts the table at a length an operator reads", () => {
    const many = Array.from({ length: MAX_TABLE_ROWS + 10 }, (_, i) => `docs/page-${String(i).padStart(3, "0")}.md`);
    const plan = planOf([...many, "units/x.service"].map((n) => file(n, "new")), many.map((n) => file(n, "old")));
    const markdown = renderPlanMarkdown(plan);
    const rows = tableRows(markdown).filter((row) => row.includes("changed") || row.includes("added"));
    expect(rows).toHaveLength(MAX_TABLE_ROWS);
    expect(rows[0]).toContain("`units/x.service`");
    expect(markdown).toContain("…and 11 more file(s), none riskier than those above; `--format json` lists every one.");
  });
});

describe("code spans for producer text", () => {
  it.each([
    ["plain", "`plain`"],
    // In prose a code span is literal: `\|` would show its backslash (table cells use cellCode).
    ["a|b", "`a|b`"],
    // CommonMark strips one space from each end only when both ends have one, so pad both.
    ["has `tick`", "`` has `tick` ``"],
    ["`start", "`` `start ``"],
    ["two ``ticks``", "``` two ``ticks`` ```"],
    ["line\nbreak", "`line break`"],
    ["@someone", "`@\u200bsomeone`"],
    // A bidirectional control would make the text display as other text.
    ["x\u202Edm.service", "`x dm.service`"],
    ["a\u2066b\u2069\u200f", "`a b  `"],
    // Padded too when it begins and ends with a space, unless it is all spaces.
    [" spaced ", "`  spaced  `"],
    ["  ", "`  `"],
  ])("%j → %j", (text, expected) => {
    expect(code(text)).toBe(expected);
  });

  it("escape a pipe in a table cell, where a bare one would end the cell", () => {
    expect(cellCode("a|b")).toBe("`a\\|b`");
    expect(cellCode("has `tick` | pipe")).toBe("``has `tick` \\| pipe``");
  });

  it("escape bidirectional controls in plain text too (postchecks are rendered with escapeMarkdown)", () => {
    expect(escapeMarkdown("ok\u202E\u2066kcehc")).toBe("ok kcehc");
  });

  it("warns of different ignore globs only when the sets differ, as the gate judges them", () => {
    const ignoring = (host: string, ignore: string[]) => ({ ...buildManifest([file("a.md")], meta(host)), ignore });
    const plan = (local: string[], remote: string[]) =>
      buildPlan({ local: ignoring("workstation", local), remote: ignoring("iskra", remote), rules: policy.drift!, policy: { name: policy.name, digest: policy.digest }, now: PLANNED_AT });
    expect(renderPlanMarkdown(plan(["a", "b"], ["b", "a", "a"]))).not.toContain("skipped different globs");
    expect(renderPlanMarkdown(plan(["a"], ["a", "b"]))).toContain("> ⚠️ The manifests skipped different globs (local: `a`; remote: `a`, `b`)");
  });
});
