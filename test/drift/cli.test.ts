import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildManifest, serializeManifest } from "../../src/drift/manifest.js";
import { readManifest } from "../../src/drift/read-manifest.js";
import { driftPlanSchema } from "../../src/drift/plan-schema.js";
import { evidenceItemSchema } from "../../src/evidence/bundle-schema.js";
import { validateBundle } from "../../src/evidence/validate-bundle.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "patchwarden-drift-cli-"));
  made.push(dir);
  return dir;
}

function tree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const LOCAL = fixture("drift/manifests/workstation.manifest.json");
const remote = (name: string) => fixture(`drift/manifests/${name}.manifest.json`);
const AT = { now: Date.parse("2026-11-21T11:50:00Z") };

describe("patchwarden drift manifest", () => {
  it("prints a valid manifest of a real tree, with the host label and the clock's time", async () => {
    const root = tree(tempDir(), { "README.md": "hi\n", "docs/a.md": "a\n" });
    symlinkSync("docs/a.md", join(root, "A"));
    const result = await runCli(["drift", "manifest", root, "--host", "workstation"], AT);
    expect(result.code).toBe(0);
    const read = readManifest(Buffer.from(result.stdout), "stdout.json");
    if (!read.ok) throw new Error(JSON.stringify(read.diagnostics));
    expect(read.value).toMatchObject({ host: "workstation", root, generated_at: "2026-11-21T11:50:00.000Z", ignore: [] });
    expect(read.value.files.map((f) => `${f.type} ${f.path}`)).toEqual(["symlink A", "file README.md", "file docs/a.md"]);
  });

  it("writes --out and says so on stderr; records the --ignore globs it used", async () => {
    const dir = tempDir();
    const root = tree(join(dir, "tree"), { "a.md": "a", "logs/x.log": "x", "node_modules/m/index.js": "" });
    const out = join(dir, "m.json");
    const result = await runCli(["drift", "manifest", root, "--out", out, "--ignore", "**/*.log", "--ignore", "node_modules", "--host", "w"], AT);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const manifest = JSON.parse(readFileSync(out, "utf8"));
    expect(result.stderr).toBe(`recorded 1 file(s) under \`${root}\` in \`${out}\` (${manifest.digest})\n`);
    expect(manifest.ignore).toEqual(["**/*.log", "node_modules"]);
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(["a.md"]);
  });

  it("stops with exit 2 and a path-first line for each problem", async () => {
    const root = tree(tempDir(), { "ok.md": "ok" });
    writeFileSync(Buffer.from(`${root}/bad-\xff`, "latin1"), "x");
    const result = await runCli(["drift", "manifest", root, "--host", "w"], AT);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`patchwarden: cannot record \`${root}\` faithfully, so no manifest was written:\n  ${root}: holds a name that is not valid UTF-8 (\`bad-\\xff\`); rename it to UTF-8, a manifest records every path as UTF-8 text\n`);
  });

  it("refuses a glob that cannot match a relative path, and a missing folder", async () => {
    const bad = await runCli(["drift", "manifest", tempDir(), "--ignore", "/etc/**"]);
    expect([bad.code, bad.stderr.split("\n")[0]]).toEqual([2, "patchwarden drift manifest: --ignore: `/etc/**` starts with `/`; globs match paths relative to the manifest's root, like `**/*.service`"]);
    const long = await runCli(["drift", "manifest", tempDir(), "--ignore", `docs/${"x".repeat(500)}`]);
    expect([long.code, long.stderr.split("\n")[0]]).toEqual([2, `patchwarden drift manifest: --ignore: \`docs/${"x".repeat(35)}…\` is longer than 500 characters; shorten it`]);
    const many = await runCli(["drift", "manifest", tempDir(), ...Array.from({ length: 1001 }, (_, i) => ["--ignore", `g${i}`]).flat()]);
    expect([many.code, many.stderr.split("\n")[0]]).toEqual([2, "patchwarden drift manifest: --ignore: 1001 globs is more than a manifest records (1000); ignore whole folders with `dir/**` instead"]);
    // A label that would forge lines where the plan shows it is refused at once, not by `drift plan` later.
    for (const host of ["iskra\n### all good", "iskra\u202e"]) {
      const forged = await runCli(["drift", "manifest", tempDir(), "--host", host]);
      expect([forged.code, forged.stderr.split("\n")[0]]).toEqual([2, expect.stringMatching(/^patchwarden drift manifest: --host: `iskra.*` holds a control character, line break or bidirectional control/)]);
    }
    const missing = await runCli(["drift", "manifest", "/nonexistent/tree", "--host", "w"]);
    expect([missing.code, missing.stderr]).toEqual([2, "patchwarden: cannot record `/nonexistent/tree` faithfully, so no manifest was written:\n  /nonexistent/tree: cannot be read (no such file); give a folder this user may read\n"]);
  });

  it("refuses --out inside DIR before scanning, also through a symlinked folder, so the tree stays as it was", async () => {
    const dir = tempDir();
    const root = tree(join(dir, "tree"), { "a.md": "a\n" });
    symlinkSync(root, join(dir, "via-link"));
    for (const out of [join(root, "manifest.json"), join(root, "new/folder/manifest.json"), join(dir, "via-link/manifest.json")]) {
      const result = await runCli(["drift", "manifest", root, "--host", "w", "--out", out], AT);
      expect([result.code, result.stdout, result.stderr.split("\n")[0]]).toEqual([2, "", `patchwarden drift manifest: --out: \`${out}\` is inside the folder being recorded (\`${root}\`); write the manifest outside it, the scan is read-only`]);
    }
    const viaLinkedRoot = await runCli(["drift", "manifest", join(dir, "via-link"), "--host", "w", "--out", join(root, "m.json")], AT);
    expect(viaLinkedRoot.code).toBe(2);
    expect(readdirSync(root)).toEqual(["a.md"]);
    expect((await runCli(["drift", "manifest", root, "--host", "w", "--out", join(dir, "tree.json")], AT)).code).toBe(0);
  });

  it("refuses an empty DIR instead of recording the working folder", async () => {
    const cwd = tree(tempDir(), { "unrelated.txt": "the operator's home, not the deploy tree\n" });
    const result = await runCli(["drift", "manifest", "", "--host", "iskra"], { ...AT, cwd });
    expect([result.code, result.stdout, result.stderr.split("\n")[0]]).toEqual([2, "", "patchwarden drift manifest: DIR: an empty argument names no folder; give the folder to record, e.g. `/opt/iskra-openclaw`, or `.` for the working folder"]);
  });

  it("refuses an --ignore glob that can never match a scanned path, saying what to write instead", async () => {
    const refusals: Array<[string, string]> = [
      ["node_modules/", "`node_modules/` ends in `/`, but the scan matches paths without one, so it matches nothing; write `node_modules` to skip the folder and everything in it"],
      ["docs//*.md", "`docs//*.md` has an empty, `.` or `..` segment, but scanned paths have none, so it matches nothing; write the path from DIR without it, like `docs/*.md`"],
      ["../logs/**", "`../logs/**` has an empty, `.` or `..` segment, but scanned paths have none, so it matches nothing; write the path from DIR without it, like `docs/*.md`"],
      ["logs\\*.log", "`logs\\*.log` holds a backslash; manifest paths are `/`-separated and hold no escapes, so write `/` or remove it"],
      ["**/*.{log,tmp", "`**/*.{log,tmp` has an unclosed `{`, so it is read literally and matches no path; pair its `{}`, `[]` and `()`"],
      ["**/Icon\r", "`**/Icon\\x0d` holds a control or bidirectional character, which the manifest would record and every plan show; match it with `?`, like `**/Icon?`"],
    ];
    for (const [glob, message] of refusals) {
      const result = await runCli(["drift", "manifest", tempDir(), "--host", "w", "--ignore", glob], AT);
      expect([result.code, result.stderr.split("\n")[0]]).toEqual([2, `patchwarden drift manifest: --ignore: ${message}`]);
    }
    // What the first refusal says to write does skip the folder and everything in it.
    const root = tree(tempDir(), { "a.md": "a", "node_modules/m/index.js": "x" });
    const skipped = await runCli(["drift", "manifest", root, "--host", "w", "--ignore", "node_modules"], AT);
    expect(JSON.parse(skipped.stdout).files.map((f: { path: string }) => f.path)).toEqual(["a.md"]);
  });

  it("skips a path --ignore matches before judging its name, so macOS `Icon\\r` is skipped, not refused", async () => {
    const root = tree(tempDir(), { "a.md": "a", "docs/Icon\r": "" });
    const refused = await runCli(["drift", "manifest", root, "--host", "w"], AT);
    expect(refused.code).toBe(2);
    const result = await runCli(["drift", "manifest", root, "--host", "w", "--ignore", "**/Icon?"], AT);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(JSON.parse(result.stdout).files.map((f: { path: string }) => f.path)).toEqual(["a.md"]);
  });

  it("has --help", async () => {
    const result = await runCli(["drift", "manifest", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: patchwarden drift manifest DIR \[--out FILE\] \[--ignore GLOB\]\.\.\. \[--host LABEL\]\n/);
    expect(result.stdout).toContain("Patchwarden itself opens no SSH or network connection");
  });
});

describe("patchwarden drift plan", () => {
  it("prints the plan object, valid against its contract", async () => {
    const result = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-docs-behind")], AT);
    expect(result.code).toBe(0);
    const plan = driftPlanSchema.parse(JSON.parse(result.stdout));
    expect(plan).toMatchObject({ mode: "proposal_only", drift: true, risk: "low", counts: { changed: 2, added: 0, removed: 1, unchanged: 5 }, planned_at: "2026-11-21T11:50:00.000Z" });
  });

  it("prints markdown for the operator", async () => {
    const result = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-config-behind"), "--format", "markdown"], AT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("### 🟡 Deploy drift: 1 file(s) differ — risk **medium**, hard-manual: `service_restart`");
  });

  it("prints the evidence item, dated by its older manifest", async () => {
    const result = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-docs-behind"), "--format", "item"], AT);
    const item = evidenceItemSchema.parse(JSON.parse(result.stdout));
    expect(item).toMatchObject({ kind: "deploy-drift-probe", subject: "iskra", status: "pass", generated_at: "2026-11-21T11:40:00Z" });
  });

  it("makes a bundle the gate judges: alone it lacks Iskra's runtime truth", async () => {
    const dir = tempDir();
    const out = join(dir, "plan.bundle.json");
    const made = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-docs-behind"), "--format", "bundle", "--out", out], AT);
    expect(made.code).toBe(0);
    expect(validateBundle(JSON.parse(readFileSync(out, "utf8"))).ok).toBe(true);
    const judged = await runCli(["runtime-repair-check", "--bundle", out, "--now", "2026-11-21T12:00:00Z"]);
    expect(judged.code).toBe(20);
    expect(JSON.parse(judged.stdout).reasons.map((r: { code: string }) => r.code)).toEqual(["evidence_missing"]);
  });

  it("adds the plan --into the bundle Iskra wrote; the gate then judges both", async () => {
    const dir = tempDir();
    const out = join(dir, "with-plan.bundle.json");
    const added = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-docs-behind"), "--into", fixture("drift/iskra-runtime-truth.bundle.json"), "--out", out], AT);
    expect([added.code, added.stderr]).toEqual([0, ""]);
    const written = JSON.parse(readFileSync(out, "utf8"));
    const iskra = JSON.parse(readFileSync(fixture("drift/iskra-runtime-truth.bundle.json"), "utf8"));
    expect(written.candidate).toEqual(iskra.candidate);
    expect(written.evidence[0]).toEqual(iskra.evidence[0]);
    expect(written.evidence[1]).toMatchObject({ kind: "deploy-drift-probe", generated_at: "2026-11-21T11:40:00Z", data: { drift: true, risk: "low" } });
    const judged = await runCli(["runtime-repair-check", "--bundle", out, "--now", "2026-11-21T12:00:00Z"]);
    expect(judged.code).toBe(0);
    expect(JSON.parse(judged.stdout).verdict).toBe("eligible_repair_dry_run");
    const again = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-docs-behind"), "--into", out], AT);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`patchwarden: --into: \`${out}\`: bundle.evidence[1]: the bundle already holds a \`deploy-drift-probe\` item (\`${JSON.parse(readFileSync(out, "utf8")).evidence[1].id}\`); remove it first, or start from a bundle without one\n`);
  });

  it("goes end to end from two real trees to a verdict", async () => {
    const dir = tempDir();
    const repo = tree(join(dir, "repo"), { "docs/runbook.md": "v2\n", "systemd/user/openclaw-gateway.service": "[Service]\nRestart=always\n" });
    const host = tree(join(dir, "host"), { "docs/runbook.md": "v1\n", "systemd/user/openclaw-gateway.service": "[Service]\n" });
    chmodSync(join(host, "docs/runbook.md"), 0o644);
    const at = { now: Date.parse("2026-11-21T11:45:00Z") };
    expect((await runCli(["drift", "manifest", repo, "--host", "workstation", "--out", join(dir, "local.json")], at)).code).toBe(0);
    expect((await runCli(["drift", "manifest", host, "--host", "iskra", "--out", join(dir, "remote.json")], at)).code).toBe(0);
    const planned = await runCli(["drift", "plan", "--local", join(dir, "local.json"), "--remote", join(dir, "remote.json"), "--into", fixture("drift/iskra-runtime-truth.bundle.json"), "--out", join(dir, "bundle.json")], AT);
    expect(planned.code).toBe(0);
    const judged = await runCli(["runtime-repair-check", "--bundle", join(dir, "bundle.json"), "--now", "2026-11-21T12:00:00Z", "--format", "text"]);
    expect(judged.code).toBe(10);
    expect(judged.stdout).toMatch(/^verdict: needs_human/);
    expect(judged.stdout).toContain("[hold] drift_high_risk");
    expect(judged.stdout).toContain("[hold] drift_hard_manual");
  });

  it("stops with exit 2 on a hostile manifest, listing each problem under the file", async () => {
    const dir = tempDir();
    const hostile = join(dir, "remote.json");
    const doc = JSON.parse(readFileSync(remote("iskra-docs-behind"), "utf8"));
    doc.files[0].path = "../etc/passwd";
    doc.files.push({ ...doc.files[1] });
    writeFileSync(hostile, JSON.stringify(doc));
    const result = await runCli(["drift", "plan", "--local", LOCAL, "--remote", hostile], AT);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `patchwarden: --remote: \`${hostile}\` is not a valid deploy manifest`,
        "  manifest.files[0].path: `../etc/passwd` climbs out of the root; record paths relative to the scanned folder",
        "",
      ].join("\n"),
    );
    doc.files[0].path = "README.md";
    writeFileSync(hostile, JSON.stringify(doc));
    const duplicate = await runCli(["drift", "plan", "--local", LOCAL, "--remote", hostile], AT);
    expect(duplicate.stderr).toContain(`  manifest.files[${doc.files.length - 1}].path: \`${doc.files[1].path}\` is listed twice (first at files[1]); a path names one file, so take the manifest again\n`);
  });

  it("refuses --out naming one of its inputs, as written or through a symlinked folder, and writes nothing", async () => {
    const dir = tempDir();
    const repo = tree(join(dir, "repo"), { "docs/runbook.md": "v2\n" });
    const host = tree(join(dir, "host"), { "docs/runbook.md": "v1\n" });
    const at = { now: Date.parse("2026-11-21T11:45:00Z") };
    expect((await runCli(["drift", "manifest", repo, "--host", "workstation", "--out", join(dir, "local.json")], at)).code).toBe(0);
    expect((await runCli(["drift", "manifest", host, "--host", "iskra", "--out", join(dir, "remote.json")], at)).code).toBe(0);
    symlinkSync(dir, join(dir, "..", `${basename(dir)}-link`));
    made.push(join(dir, "..", `${basename(dir)}-link`));
    const before = readFileSync(join(dir, "remote.json"), "utf8");
    const cases: Array<[string, string]> = [
      [join(dir, "remote.json"), "--remote"],
      [join(`${dir}-link`, "remote.json"), "--remote"],
      [join(dir, "local.json"), "--local"],
      [join(dir, "bundle.json"), "--into"],
    ];
    writeFileSync(join(dir, "bundle.json"), readFileSync(fixture("drift/iskra-runtime-truth.bundle.json")));
    for (const [out, flag] of cases) {
      const into = flag === "--into" ? ["--into", join(dir, "bundle.json")] : [];
      const result = await runCli(["drift", "plan", "--local", join(dir, "local.json"), "--remote", join(dir, "remote.json"), ...into, "--out", out], AT);
      expect([result.code, result.stderr.split("\n")[0]]).toEqual([2, `patchwarden drift plan: --out: \`${out}\` is the ${flag} input; write the output to another file`]);
    }
    expect(readFileSync(join(dir, "remote.json"), "utf8")).toBe(before);
  });

  it("refuses two manifests that give one digest two sizes, instead of a plan saying nothing differs", async () => {
    const dir = tempDir();
    const entry = (size: number) => ({ path: "docs/runbook.md", type: "file" as const, sha256: sha256Digest("v1\n"), size, mode: "0644" });
    const meta = (host: string) => ({ generatedAt: "2026-11-21T11:40:00.000Z", host, root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } });
    // Each manifest is digested correctly; the host's records another size for the same content.
    writeFileSync(join(dir, "local.json"), serializeManifest(buildManifest([entry(3)], meta("workstation"))));
    writeFileSync(join(dir, "remote.json"), serializeManifest(buildManifest([entry(3 + 4096)], meta("iskra"))));
    const result = await runCli(["drift", "plan", "--local", join(dir, "local.json"), "--remote", join(dir, "remote.json")], AT);
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toBe(
      `patchwarden: cannot compare the two manifests, so no plan was made:\n  docs/runbook.md: has digest \`${sha256Digest("v1\n")}\` in both manifests, but 3 bytes in the local one and 4099 in the remote one; one manifest is wrong, so take both again\n`,
    );
  });

  it("notes on stderr when a manifest is already too old for the gate", async () => {
    const result = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-docs-behind-stale")], AT);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("note: the remote manifest was taken 1h20m ago, over the policy's 1h maximum for `deploy-drift-probe`; the gate will block this plan, so take a fresh manifest\n");
  });

  it("refuses what it cannot do: missing flags, --into with markdown, a kit run, a policy without [drift]", async () => {
    const missing = await runCli(["drift", "plan", "--remote", remote("iskra-in-sync")]);
    expect([missing.code, missing.stderr.split("\n")[0]]).toEqual([2, "patchwarden drift plan: --local: missing; give it, e.g. `--local repo.manifest.json`"]);
    const markdownInto = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-in-sync"), "--format", "markdown", "--into", fixture("drift/iskra-runtime-truth.bundle.json")]);
    expect([markdownInto.code, markdownInto.stderr.split("\n")[0]]).toEqual([2, "patchwarden drift plan: --into writes a bundle; drop `--format markdown` or use `--format bundle`"]);
    const kit = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-in-sync"), "--into", fixture("openclaw-runs/green/evidence-bundle.json")], AT);
    expect(kit.code).toBe(2);
    expect(kit.stderr).toMatch(/^patchwarden: --into: `.*evidence-bundle\.json` has schema `openclaw\.safe_update\.evidence_bundle\.v1`; a drift plan is added to a `patchwarden\.evidence_bundle\.v1`/);
    const dir = tempDir();
    const policy = join(dir, "no-drift.toml");
    writeFileSync(policy, readFileSync(fixture("../policies/iskra-openclaw.v0.toml"), "utf8").replace(/\n\[drift\][\s\S]*$/, "\n"));
    const noDrift = await runCli(["drift", "plan", "--local", LOCAL, "--remote", remote("iskra-in-sync"), "--policy", policy], AT);
    expect([noDrift.code, noDrift.stderr]).toEqual([2, "patchwarden: policy `iskra-openclaw` has no [drift] section, so files cannot be classified; add one (see docs/policy-reference.md)\n"]);
  });

  it("is listed in patchwarden --help with the other commands", async () => {
    const result = await runCli(["--help"]);
    expect(result.stdout).toMatch(/\n {2}drift manifest +record a tree's files/);
    expect(result.stdout).toMatch(/\n {2}drift plan +compare two deploy manifests/);
  });
});
