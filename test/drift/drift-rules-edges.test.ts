import { describe, expect, it } from "vitest";
import { classify, compileDriftRules, targetOf } from "../../src/drift/drift-rules.js";
import { buildManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const RULES = compileDriftRules({
  executor: "scripts/deploy.sh",
  lock: "/run/lock/deploy.lock",
  backup_location: "/var/backups/deploy/",
  postchecks: [],
  default_risk: "low",
  mode_change_risk: "high",
  paths: [
    { local: "etc/app.conf", target: "/etc/app/app.conf" },
    { local: "keys/", target: "/etc/keys/" },
    { local: "docs/", target: "/opt/app/docs/" },
  ],
  risk_rules: [{ glob: "keys/[0-a]*.pem", risk: "high", hard_manual: "credential_change" }],
});

const file = (path: string, content = path): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
const meta = (host: string) => ({ generatedAt: "2026-11-21T11:40:00Z", host, root: "/opt/app", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } });

describe("a path mapping that names one file", () => {
  it("maps that file only, not a file whose name merely starts with it", () => {
    expect(targetOf(RULES, "etc/app.conf")).toBe("/etc/app/app.conf");
    expect(targetOf(RULES, "etc/app.conf.bak")).toBeNull();
    expect(targetOf(RULES, "etc/app.conf.d/override.conf")).toBeNull();
  });

  it("leaves a file beside it unmapped in a plan, so high risk, with no target", () => {
    const plan = buildPlan({
      local: buildManifest([file("etc/app.conf.bak", "new")], meta("workstation")),
      remote: buildManifest([file("etc/app.conf.bak", "old")], meta("iskra")),
      rules: RULES,
      policy: { name: "test", digest: sha256Digest("policy") },
      now: Date.parse("2026-11-21T11:50:00Z"),
    });
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]).toMatchObject({ path: "etc/app.conf.bak", target: null, risk: "high", risk_note: "no risk rule matches: the policy's default; no path mapping covers it: raised to high" });
    expect(plan.prechecks.backup.files).toEqual([expect.objectContaining({ path: "etc/app.conf.bak", target: null })]);
  });
});

describe("a risk glob with a character class and a lower-case path", () => {
  // `[0-a]` spans the upper-case letters, so ignoring case it matches `b` (as `B`): the class alone
  // makes case matter, though neither the glob nor the path holds an upper-case letter.
  it("judges the path by the rule it matches ignoring case", () => {
    expect(classify(RULES, "keys/b.pem")).toEqual({ risk: "high", hardManual: "credential_change", rule: "keys/[0-a]*.pem", note: "matches `keys/[0-a]*.pem` ignoring case" });
  });

  it("judges a path the class matches as written without 'ignoring case'", () => {
    expect(classify(RULES, "keys/0.pem")).toEqual({ risk: "high", hardManual: "credential_change", rule: "keys/[0-a]*.pem", note: "matches `keys/[0-a]*.pem`" });
  });
});
