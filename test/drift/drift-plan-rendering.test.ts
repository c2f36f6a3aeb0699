import { describe, expect, it } from "vitest";
import { buildManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { planBundle, planEvidenceItem } from "../../src/drift/plan-item.js";
import { MAX_TABLE_ROWS, renderPlanMarkdown } from "../../src/drift/render-plan-markdown.js";
import type { DriftRules } from "../../src/drift/drift-rules.js";
import { evidenceBundleSchema } from "../../src/evidence/bundle-schema.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";

const policy = await readPolicy();
const PLANNED_AT = Date.parse("2026-11-21T11:50:00Z");
const file = (path: string, content = path): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
const link = (path: string, target: string): ManifestEntry => ({ path, type: "symlink", sha256: sha256Digest(target), size: Buffer.byteLength(target), mode: "0777", target });
const meta = (host: string, extra: { root?: string; ignore?: string[] } = {}) => ({ generatedAt: "2026-11-21T11:40:00Z", host, root: extra.root ?? "/opt/iskra-openclaw", ignore: extra.ignore ?? [], generator: { name: "patchwarden", version: "0.1.0" } });
const planOf = (local: ManifestEntry[], remote: ManifestEntry[], options: { root?: string; ignore?: string[]; rules?: DriftRules } = {}) =>
  buildPlan({
    local: buildManifest(local, meta("workstation", options)),
    remote: buildManifest(remote, meta("iskra", options)),
    rules: options.rules ?? policy.drift!,
    policy: { name: policy.name, digest: policy.digest },
    now: PLANNED_AT,
  });
const pages = (count: number) => Array.from({ length: count }, (_, i) => `docs/page-${String(i).padStart(3, "0")}.md`);
const fileRows = (markdown: string) => markdown.split("\n").filter((line) => /^\| \S+ (none|low|medium|high)/.test(line));
const backupRows = (markdown: string) => {
  const section = markdown.slice(markdown.indexOf("<summary>Backups for rollback"), markdown.indexOf("</details>"));
  return section.split("\n").filter((line) => line.startsWith("| `"));
};

describe("the markdown file table at its row limit", () => {
  it("lists exactly MAX_TABLE_ROWS files without a '…and 0 more' line", () => {
    const names = pages(MAX_TABLE_ROWS);
    const markdown = renderPlanMarkdown(planOf(names.map((n) => file(n, "new")), names.map((n) => file(n, "old"))));
    expect(fileRows(markdown)).toHaveLength(MAX_TABLE_ROWS);
    expect(markdown).not.toContain("…and ");
    expect(markdown).not.toContain("more file(s)");
  });

  it("says how many files one row past the limit leaves out", () => {
    const names = pages(MAX_TABLE_ROWS + 1);
    const markdown = renderPlanMarkdown(planOf(names.map((n) => file(n, "new")), names.map((n) => file(n, "old"))));
    expect(fileRows(markdown)).toHaveLength(MAX_TABLE_ROWS);
    expect(markdown).toContain("…and 1 more file(s), none riskier than those above; `--format json` lists every one.");
  });
});

describe("the markdown backup table", () => {
  it("cuts the backups at MAX_TABLE_ROWS and says how many the JSON form adds", () => {
    const names = pages(MAX_TABLE_ROWS + 7);
    const plan = planOf(names.map((n) => file(n, "new")), names.map((n) => file(n, "old")));
    expect(plan.prechecks.backup.files).toHaveLength(MAX_TABLE_ROWS + 7);
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain(`<details><summary>Backups for rollback (${MAX_TABLE_ROWS + 7})</summary>`);
    expect(backupRows(markdown)).toHaveLength(MAX_TABLE_ROWS);
    expect(markdown).toContain("…and 7 more; `--format json` lists every one.");
  });

  it("lists every backup when there are exactly MAX_TABLE_ROWS", () => {
    const names = pages(MAX_TABLE_ROWS);
    const markdown = renderPlanMarkdown(planOf(names.map((n) => file(n, "new")), names.map((n) => file(n, "old"))));
    expect(backupRows(markdown)).toHaveLength(MAX_TABLE_ROWS);
    expect(markdown).not.toContain("more; `--format json` lists every one.");
  });
});

describe("link targets in the markdown file table", () => {
  it("escapes a pipe in a link's text so the row keeps its six cells", () => {
    const markdown = renderPlanMarkdown(planOf([link("docs/current.md", "pages/a|b.md")], [link("docs/current.md", "pages/old.md")]));
    const rows = fileRows(markdown);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("| link → `pages/a\\|b.md` | link → `pages/old.md` |");
    expect(rows[0]!.replace(/\\\|/g, "").split("|")).toHaveLength(8);
  });
});

describe("postchecks in the markdown plan", () => {
  it("escapes markup in a postcheck the policy names", () => {
    const rules: DriftRules = { ...policy.drift!, postchecks: ["<img src=x onerror=alert(1)> **bold** ping @operator"] };
    const markdown = renderPlanMarkdown(planOf([file("docs/a.md", "new")], [file("docs/a.md", "old")], { rules }));
    const line = markdown.split("\n").find((text) => text.includes("src=x"));
    expect(line).toBe(`- ${"\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* ping @\u200boperator"}`);
    expect(markdown).not.toMatch(/(?<!\\)<img/);
    expect(markdown).not.toContain("**bold**");
    expect(markdown).not.toMatch(/@operator/);
  });
});

describe("the skipped-globs list in the markdown plan", () => {
  const globsOf = (count: number) => Array.from({ length: count }, (_, i) => `skip-${String(i).padStart(2, "0")}/**`);

  it("shows twenty globs in full, with no 'and 0 more'", () => {
    const ignore = globsOf(20);
    const markdown = renderPlanMarkdown(planOf([file("README.md")], [file("README.md")], { ignore }));
    expect(markdown).toContain(`skipped on both sides: ${ignore.map((g) => `\`${g}\``).join(", ")}.`);
    expect(markdown).not.toContain(" more.");
    expect(markdown).not.toContain("and 0 more");
  });

  it("cuts a longer list at twenty and counts the rest", () => {
    const ignore = globsOf(21);
    const markdown = renderPlanMarkdown(planOf([file("README.md")], [file("README.md")], { ignore }));
    expect(markdown).toContain(`skipped on both sides: ${ignore.slice(0, 20).map((g) => `\`${g}\``).join(", ")} and 1 more.`);
  });
});

describe("the plan's summary as evidence", () => {
  // A root of 2500 characters is a valid manifest root and makes the plan's summary longer than an
  // evidence summary may be (2000 characters).
  const longRoot = `/${"r".repeat(2500)}`;

  it("cuts a summary longer than 2000 characters to 2000, ending in an ellipsis, in the item and the candidate", () => {
    const plan = planOf([file("docs/a.md", "new")], [file("docs/a.md", "old")], { root: longRoot });
    expect(plan.summary.length).toBeGreaterThan(2000);
    const item = planEvidenceItem(plan);
    expect(item.summary).toHaveLength(2000);
    expect(item.summary).toBe(`${plan.summary.slice(0, 1999)}…`);
    const bundle = planBundle(plan, PLANNED_AT, { name: "patchwarden", version: "0.1.0" });
    expect(bundle.candidate.summary).toBe(`${plan.summary.slice(0, 1999)}…`);
    expect(bundle.evidence[0]!.summary).toBe(`${plan.summary.slice(0, 1999)}…`);
    expect(evidenceBundleSchema.safeParse(bundle).success).toBe(true);
  });

  it("keeps a summary of at most 2000 characters whole", () => {
    const plan = planOf([file("docs/a.md", "new")], [file("docs/a.md", "old")]);
    expect(planEvidenceItem(plan).summary).toBe(plan.summary);
    expect(planBundle(plan, PLANNED_AT, { name: "patchwarden", version: "0.1.0" }).candidate.summary).toBe(plan.summary);
  });
});
