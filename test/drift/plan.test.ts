import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileDriftRules, type DriftRules } from "../../src/drift/drift-rules.js";
import { buildManifest } from "../../src/drift/manifest.js";
import type { Manifest, ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan, ManifestConflictError } from "../../src/drift/plan.js";
import { linkEscape } from "../../src/drift/link-destination.js";
import { RECEIPT_FIELDS } from "../../src/drift/plan-schema.js";
import { planDigest } from "../../src/drift/plan-digest.js";
import { driftPlanSchema, PLAN_SCHEMA_ID, SUPERSEDED_SOURCE, type DriftPlan } from "../../src/drift/plan-schema.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";

const policy = await readPolicy();
const NOW = Date.parse("2026-11-21T11:50:00Z");
const POLICY_REF = { name: policy.name, digest: policy.digest };

afterEach(() => vi.restoreAllMocks());

const file = (path: string, content = path, mode = "0644"): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode });
const manifest = (entries: ManifestEntry[], meta: Partial<{ host: string; at: string; ignore: string[] }> = {}): Manifest =>
  buildManifest(entries, { generatedAt: meta.at ?? "2026-11-21T11:40:00Z", host: meta.host ?? "iskra", root: "/opt/iskra-openclaw", ignore: meta.ignore ?? [], generator: { name: "patchwarden", version: "0.1.0" } });
const plan = (local: ManifestEntry[], remote: ManifestEntry[], rules: DriftRules = policy.drift!): DriftPlan =>
  buildPlan({ local: manifest(local, { host: "workstation" }), remote: manifest(remote), rules, policy: POLICY_REF, now: NOW });

const RULES = compileDriftRules({
  executor: "scripts/deploy.sh",
  lock: "/run/lock/deploy.lock",
  backup_location: "/var/backups/deploy/",
  postchecks: ["health ok"],
  default_risk: "medium",
  mode_change_risk: "high",
  paths: [
    { local: "units/", target: "/etc/systemd/system/" },
    { local: "etc/app.conf", target: "/etc/app/app.conf" },
    { local: "app/", target: "/opt/app/" },
  ],
  risk_rules: [
    { glob: "**/*.service", risk: "high", hard_manual: "service_restart", description: "systemd units" },
    { glob: "**/*.md", risk: "low" },
    { glob: "app/**", risk: "low", description: "never reached for .service or .md files: the first match wins" },
  ],
});

describe("the drift plan", () => {
  it("says proposal only, names #142 as superseded source, and carries its own digest", () => {
    const p = plan([file("app/a.md", "new")], [file("app/a.md", "old")]);
    expect(p).toMatchObject({ schema: PLAN_SCHEMA_ID, finding: "deploy_drift_probe", mode: "proposal_only", superseded_source: SUPERSEDED_SOURCE, drift: true });
    expect(p.superseded_source).toBe("pdurlej/iskra-openclaw#142");
    expect(p.digest).toBe(planDigest(p));
    expect(driftPlanSchema.safeParse(p).success).toBe(true);
  });

  it("lists changed, added and removed files with both digests, target path, risk and why", () => {
    const p = plan(
      [file("app/README.md", "v2"), file("app/lib/run.mjs", "same", "0755"), file("units/app.service", "[Service]"), file("etc/app.conf", "port=1"), file("stray.txt")],
      [file("app/README.md", "v1"), file("app/lib/run.mjs", "same"), file("etc/app.conf", "port=1"), file("app/old.mjs", "gone")],
      RULES,
    );
    expect(p.files).toEqual([
      { path: "app/README.md", change: "changed", differs: ["content"], target: "/opt/app/README.md", local: { type: "file", sha256: sha256Digest("v2"), size: 2, mode: "0644" }, remote: { type: "file", sha256: sha256Digest("v1"), size: 2, mode: "0644" }, risk: "low", hard_manual: null, rule: "**/*.md", risk_note: "matches `**/*.md`" },
      { path: "app/lib/run.mjs", change: "changed", differs: ["mode"], target: "/opt/app/lib/run.mjs", local: { type: "file", sha256: sha256Digest("same"), size: 4, mode: "0755" }, remote: { type: "file", sha256: sha256Digest("same"), size: 4, mode: "0644" }, risk: "high", hard_manual: null, rule: "app/**", risk_note: "matches `app/**` (never reached for .service or .md files: the first match wins); its mode changes: raised to high" },
      { path: "app/old.mjs", change: "removed", differs: [], target: "/opt/app/old.mjs", local: null, remote: { type: "file", sha256: sha256Digest("gone"), size: 4, mode: "0644" }, risk: "low", hard_manual: null, rule: "app/**", risk_note: "matches `app/**` (never reached for .service or .md files: the first match wins)" },
      { path: "stray.txt", change: "added", differs: [], target: null, local: { type: "file", sha256: sha256Digest("stray.txt"), size: 9, mode: "0644" }, remote: null, risk: "high", hard_manual: null, rule: null, risk_note: "no risk rule matches: the policy's default; no path mapping covers it: raised to high" },
      { path: "units/app.service", change: "added", differs: [], target: "/etc/systemd/system/app.service", local: { type: "file", sha256: sha256Digest("[Service]"), size: 9, mode: "0644" }, remote: null, risk: "high", hard_manual: "service_restart", rule: "**/*.service", risk_note: "matches `**/*.service` (systemd units)" },
    ]);
    expect(p.counts).toEqual({ changed: 2, added: 2, removed: 1, unchanged: 1 });
    expect(p.risk).toBe("high");
    expect(p.hard_manual).toEqual(["service_restart"]);
    expect(p.summary).toBe("5 file(s) differ between workstation:/opt/iskra-openclaw and iskra:/opt/iskra-openclaw (2 changed, 2 added, 1 removed); risk high; hard-manual: service_restart");
  });

  it("names the canonical runbook, the lock, a backup of every overwritten or removed file, postchecks and receipt fields", () => {
    const remote = manifest([file("app/a.mjs", "old"), file("app/b.mjs", "gone")]);
    const p = buildPlan({ local: manifest([file("app/a.mjs", "new"), file("app/c.mjs")]), remote, rules: RULES, policy: POLICY_REF, now: NOW });
    expect(p.executor).toBe("scripts/deploy.sh");
    expect(p.prechecks.deploy_lock).toMatchObject({ lock: "/run/lock/deploy.lock", must_be: "free" });
    expect(p.prechecks.backup.location).toBe("/var/backups/deploy/");
    expect(p.prechecks.backup.files).toEqual([
      { path: "app/a.mjs", target: "/opt/app/a.mjs", type: "file", sha256: sha256Digest("old"), size: 3, mode: "0644" },
      { path: "app/b.mjs", target: "/opt/app/b.mjs", type: "file", sha256: sha256Digest("gone"), size: 4, mode: "0644" },
    ]);
    expect(p.prechecks.remote_unchanged.digest).toBe(remote.digest);
    expect(p.postchecks).toEqual(["health ok"]);
    expect(p.receipt_fields.map((f) => f.field)).toEqual(expect.arrayContaining(["accepted_by", "accepted_at", "plan_digest", "backup_location", "postcheck_results"]));
    expect(p.receipt_fields).toEqual(RECEIPT_FIELDS);
  });

  it("with no drift says there is nothing to deploy", () => {
    const p = plan([file("a.md"), file("b.md")], [file("a.md"), file("b.md")]);
    expect(p).toMatchObject({ drift: false, risk: "none", hard_manual: [], files: [], counts: { changed: 0, added: 0, removed: 0, unchanged: 2 } });
    expect(p.summary).toMatch(/^no drift: all 2 file\(s\) match between .*; nothing to deploy$/);
    expect(p.prechecks.backup.files).toEqual([]);
  });

  it("is a pure function: no clock, and the same input gives the same plan and digest", () => {
    const clock = vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("the plan builder read the clock");
    });
    const local = manifest([file("a.md", "1"), file("b.service")]);
    const remote = manifest([file("a.md", "2")]);
    const first = buildPlan({ local, remote, rules: RULES, policy: POLICY_REF, now: NOW });
    const second = buildPlan({ local: structuredClone(local), remote: structuredClone(remote), rules: RULES, policy: POLICY_REF, now: NOW });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(clock).not.toHaveBeenCalled();
    expect(buildPlan({ local, remote, rules: RULES, policy: POLICY_REF, now: NOW + 1000 }).digest).not.toBe(first.digest);
  });

  it("is valid and self-consistent for any two trees, drifting exactly when their digests differ, and empty for a tree against itself", () => {
    const entry = fc.record({ path: fc.constantFrom("a.md", "b/c.service", "b/d.mjs", "e", "f/g/h.conf", "units/x.service", "app/y.md"), content: fc.constantFrom("1", "2"), mode: fc.constantFrom("0644", "0755") });
    const tree = fc.uniqueArray(entry, { selector: (e) => e.path }).map((list) => list.map((e) => file(e.path, e.content, e.mode)));
    fc.assert(
      fc.property(tree, tree, (a, b) => {
        const p = plan(a, b, RULES);
        const parsed = driftPlanSchema.safeParse(p);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
        return p.counts.changed + p.counts.added + p.counts.removed === p.files.length && p.drift === (p.local.digest !== p.remote.digest) && plan(a, a, RULES).drift === false;
      }),
      { numRuns: 300 },
    );
  });

  it("refuses two manifests that give one digest two sizes instead of saying nothing differs: one of them is wrong", () => {
    const sized = (size: number): ManifestEntry => ({ ...file("docs/runbook.md", "v1\n"), size });
    expect(() => plan([sized(3)], [sized(3 + 4096)])).toThrow(ManifestConflictError);
    expect(() => plan([sized(3)], [sized(3 + 4096)])).toThrow(`docs/runbook.md: has digest \`${sha256Digest("v1\n")}\` in both manifests, but 3 bytes in the local one and 4099 in the remote one; one manifest is wrong, so take both again`);
  });

  it("refuses manifests whose digests say otherwise than their entries, rather than break drift ⇔ digests differ", () => {
    const remote = { ...manifest([file("a.md")]), digest: sha256Digest("another tree") };
    expect(() => buildPlan({ local: manifest([file("a.md")]), remote, rules: RULES, policy: POLICY_REF, now: NOW })).toThrow(/^manifests: 0 file\(s\) differ, but the digests are /);
  });

  it("handles two 100,000-entry manifests in one pass", () => {
    const entries = (variant: string) =>
      Array.from({ length: 100_000 }, (_, i) => file(`srv/${String(i % 100).padStart(2, "0")}/${String(i).padStart(6, "0")}.mjs`, i % 1000 === 0 ? `${variant}${i}` : String(i)));
    const p = plan(entries("local"), entries("remote"));
    expect(p.counts).toEqual({ changed: 100, added: 0, removed: 0, unchanged: 99_900 });
    expect(p.files.every((f) => f.change === "changed" && f.differs.join() === "content")).toBe(true);
  });
});

describe("links that point outside the deployed tree", () => {
  const link = (path: string, target: string): ManifestEntry => ({ path, type: "symlink", target, sha256: sha256Digest(target), size: Buffer.byteLength(target), mode: "0777" });
  const rules = policy.drift!;

  it.each([
    ["docs/current", "/etc/shadow", true],
    ["docs/current", "../../x", true],
    ["docs/current", "../x", false],
    ["docs/a/current", "../../x", false],
    ["current", "./releases/../../x", true],
    ["current", "releases/7", false],
    ["current", "releases//7/./", false],
    ["docs/up", "..", false],
    // systemd/user/ lands in /home/iskra/.config/systemd/user/, so from there `../..` is
    // /home/iskra/.config, not the tree's root.
    ["systemd/user/notes.md", "../../gh/hosts.yml", true],
    ["systemd/user/notes.md", "..", true],
    ["systemd/user/openclaw.socket", "openclaw-gateway.service", false],
    ["systemd/user/here", ".", false],
  ])("%s → %s leaves the tree: %s", (path, target, leaves) => {
    expect(linkEscape(rules, path, target, new Set()) !== null).toBe(leaves);
  });

  it("judge a link by where it lands on the host, not by where it points in the manifest", () => {
    const p = plan([link("systemd/user/notes.md", "../../gh/hosts.yml")], []);
    expect(p.files.map((f) => [f.path, f.risk, f.risk_note])).toEqual([
      [
        "systemd/user/notes.md",
        "high",
        "matches `**/*.{md,txt,rst}` (documentation); a link to `../../gh/hosts.yml`, which lands at `/home/iskra/.config/gh/hosts.yml` on the host, not where the policy puts `gh/hosts.yml` (`/opt/iskra-openclaw/gh/hosts.yml`): raised to high",
      ],
    ]);
    // One file mapped elsewhere (etc/app.conf → /etc/app/app.conf): its neighbour is not its neighbour on the host.
    expect(plan([link("etc/app.conf", "app.d/site.conf")], [], RULES).files[0]!.risk_note).toMatch(/lands at `\/etc\/app\/app\.d\/site\.conf` on the host, not where the policy puts `etc\/app\.d\/site\.conf` \(`nowhere`\)/);
  });

  it("treat a link resolved through another link of either tree as outside, though both trees share that link", () => {
    const p = plan([link("docs/shadow.md", "../lib/shadow"), link("lib", "/etc")], [link("lib", "/etc")]);
    expect(p.files.map((f) => [f.path, f.risk, f.risk_note])).toEqual([
      ["docs/shadow.md", "high", "matches `docs/**` (documentation); a link to `../lib/shadow`, through `lib`, itself a link, so where it lands is not the manifests' to say: raised to high"],
    ]);
    expect(linkEscape(rules, "docs/shadow.md", "../lib/shadow", new Set(["lib"]))).not.toBeNull();
  });

  it("make the file high risk, whatever its glob says, with the link named in the note", () => {
    const p = plan([link("docs/current", "/etc/shadow")], [link("docs/current", "runbook.md")]);
    expect(p.files.map((f) => [f.path, f.risk, f.risk_note])).toEqual([
      ["docs/current", "high", "matches `docs/**` (documentation); a link to `/etc/shadow`, outside the deployed tree: raised to high"],
    ]);
  });

  it("judge the host's link as well: a backup reads through it, and a write may follow it", () => {
    const removed = plan([], [link("docs/current", "/etc/shadow")]);
    expect(removed.files.map((f) => [f.change, f.risk, f.risk_note])).toEqual([["removed", "high", "matches `docs/**` (documentation); on the host a link to `/etc/shadow`, outside the deployed tree: raised to high"]]);
    expect(plan([file("docs/current", "# current\n")], [link("docs/current", "/etc/shadow")]).files[0]!.risk).toBe("high");
    expect(plan([], [link("docs/current", "runbook.md")]).files[0]!.risk).toBe("low");
  });

  it("make every file below a folder the host holds as a link high risk: writing docs/runbook.md would write /etc/runbook.md", () => {
    const p = plan([file("README.md"), file("docs/runbook.md", "# Runbook v2\n")], [file("README.md"), link("docs", "/etc")]);
    expect(p.files.map((f) => [f.path, f.change, f.risk])).toEqual([
      ["docs", "removed", "high"],
      ["docs/runbook.md", "added", "high"],
    ]);
    expect(p.files[1]!.risk_note).toBe("matches `docs/**` (documentation); `docs` above it is a link on one side, so a write, removal or backup of it may follow that link out of the tree: raised to high");
    // The same folder held as a link inside the tree still takes a human: the write follows it.
    expect(plan([file("docs/runbook.md")], [link("docs", "manual")]).files.map((f) => f.risk)).toEqual(["low", "high"]);
  });
});

describe("risky modes", () => {
  it("make a file added or changed setuid, setgid, sticky or world-writable at least mode_change_risk, as a mode change does", () => {
    const script = "#!/bin/sh\nexec /bin/sh\n";
    const added = plan([file("docs/tools/helper", script, "4755")], []);
    expect(added.files.map((f) => [f.risk, f.risk_note])).toEqual([["high", "matches `docs/**` (documentation); it would be written with mode `4755` (setuid, setgid, sticky or world-writable): raised to high"]]);
    for (const mode of ["2755", "1755", "0666", "0757"]) expect(plan([file("docs/tools/helper", script, mode)], []).files[0]!.risk, mode).toBe("high");
    // A setuid file whose content changes is a new privileged program.
    expect(plan([file("docs/tools/helper", script, "4755")], [file("docs/tools/helper", "old", "4755")]).files[0]!.risk).toBe("high");
    expect(plan([file("docs/tools/helper", script, "0755")], []).files[0]!.risk).toBe("low");
    // Removing such a file writes nothing with that mode.
    expect(plan([], [file("docs/tools/helper", script, "4755")]).files[0]!.risk).toBe("low");
  });

  it("do not count a link's 0777, which means nothing", () => {
    const link = { path: "docs/current", type: "symlink" as const, target: "runbook.md", sha256: sha256Digest("runbook.md"), size: 10, mode: "0777" };
    expect(plan([link], []).files[0]!.risk).toBe("low");
  });
});
