import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDriftRules } from "../../src/drift/drift-rules.js";
import { buildManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { canonicalPlanJson, planDigest } from "../../src/drift/plan-digest.js";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { REMOTES, planFor, type RemoteName } from "./fixture-set.js";

const policy = await readPolicy();
const withoutDigest = (plan: DriftPlan) => {
  const { digest: _digest, ...content } = plan;
  return content;
};

// Names and texts with what JSON escapes or sorts unusually: quotes, backslashes, non-ASCII, astral characters.
const text = fc.string({ unit: fc.constantFrom("a", "Z", '"', "\\", "é", "\u{1F680}", "-", " ", "\u00ff"), minLength: 1, maxLength: 6 });
const segment = text.filter((s) => s !== "." && s !== "..");
const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/"));
const entry = fc.oneof(
  fc.record({ path, content: text, mode: fc.constantFrom("0644", "0755") }).map(({ path, content, mode }): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: content.length, mode })),
  fc.record({ path, link: text }).map(({ path, link }): ManifestEntry => ({ path, type: "symlink", target: link, sha256: sha256Digest(link), size: Buffer.byteLength(link), mode: "0777" })),
);
const tree = fc.uniqueArray(entry, { selector: (e) => e.path, maxLength: 8 }).map((entries) => entries.filter((e) => !entries.some((o) => e.path.startsWith(`${o.path}/`))));

describe("the plan digest", () => {
  it("is the sha256 of canonicalJson of the plan without its digest, for every fixture plan", () => {
    for (const name of Object.keys(REMOTES) as RemoteName[]) {
      const plan = planFor(policy, name);
      expect(canonicalPlanJson(plan)).toBe(canonicalJson(withoutDigest(plan)));
      expect(plan.digest).toBe(sha256Digest(canonicalJson(withoutDigest(plan))));
    }
  });

  it("writes the same canonical JSON as the generic serializer for any plan, names and texts included", () => {
    const rules = compileDriftRules({
      executor: 'run "deploy"\\now',
      lock: "/run/lock/é",
      backup_location: "/var/backups/\u{1F680}/",
      postchecks: ["a \"quoted\" check", "é"],
      default_risk: "medium",
      mode_change_risk: "high",
      paths: [{ local: "a/", target: "/opt/a/" }],
      risk_rules: [{ glob: "**/*Z*", risk: "high", hard_manual: "service_restart", description: 'with "quotes"' }],
    });
    const meta = (host: string, ignore: string[]) => ({ generatedAt: "2026-11-21T11:40:00Z", host, root: "/opt/\"root\"", ignore, generator: { name: "patchwarden", version: "0.1.0" } });
    fc.assert(
      fc.property(tree, tree, fc.array(text, { maxLength: 2 }), (a, b, ignore) => {
        const plan = buildPlan({ local: buildManifest(a, meta("wörk", ignore)), remote: buildManifest(b, meta("is\"kra", [])), rules, policy: { name: "p", digest: policy.digest }, now: 0 });
        return canonicalPlanJson(plan) === canonicalJson(withoutDigest(plan)) && planDigest(plan) === plan.digest;
      }),
      { numRuns: 500 },
    );
  });
});
