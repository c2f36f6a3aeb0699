import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sha256Digest } from "../../src/integrity/digest.js";
import {  planEvidenceItem } from "../../src/drift/plan-item.js";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, laxRules, planBetween, planFor, reDigested } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

function judge(bundle: EvidenceBundle, withPolicy: Policy = policy, now = AT_NOON) {
  return evaluate(inputOf(bundle), withPolicy, now);
}

const codes = (bundle: EvidenceBundle, withPolicy?: Policy) => judge(bundle, withPolicy).reasons.map((r) => r.code).sort();

describe("the gate on deploy-drift-probe evidence", () => {
  it("refuses a re-digested plan that disagrees with itself, saying where", () => {
    const lying = reDigested(planFor(policy, "iskra-unit-behind"), (p) => {
      p.risk = "low";
      p.hard_manual = [];
    });
    const verdict = judge(bundleWith(lying));
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "drift_plan_invalid").map((r) => [r.path, r.message])).toEqual([
      ["bundle.evidence[1].data.risk", "`deploy-drift-probe` evidence[1] (`iskra`) is not a valid drift plan: says `low`, but the riskiest file is `high`; make the plan again with `patchwarden drift plan` instead of editing it"],
      ["bundle.evidence[1].data.hard_manual", "`deploy-drift-probe` evidence[1] (`iskra`) is not a valid drift plan: lists `none`, but the files touch `service_restart`; make the plan again with `patchwarden drift plan` instead of editing it"],
    ]);
  });

  it("refuses a plan in any mode but proposal_only", () => {
    const applying = reDigested(planFor(policy, "iskra-docs-behind"), (p) => ((p as { mode: string }).mode = "apply"));
    const verdict = judge(bundleWith(applying));
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "drift_plan_invalid")?.message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) is not a valid drift plan: expected `proposal_only`, got `apply`; Patchwarden proposes drift plans and never applies them; make the plan again with `patchwarden drift plan` instead of editing it",
    );
  });

  it("refuses a plan that drops the backup of a file it would overwrite", () => {
    const noBackup = reDigested(planFor(policy, "iskra-docs-behind"), (p) => (p.prechecks.backup.files = []));
    expect(codes(bundleWith(noBackup))).toEqual(["drift_plan_invalid"]);
  });

  it("judges a stale remote manifest even when the item is dated fresher than the plan it holds", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind-stale"));
    bundle.evidence[1]!.generated_at = "2026-11-21T11:50:00Z";
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_stale", "bundle.evidence[1].data.remote.generated_at"]]);
    expect(verdict.reasons[0]!.message).toBe("`deploy-drift-probe` evidence[1] (`iskra`) compares a remote manifest taken 1h30m ago, over the policy's 1h maximum for its kind; take a fresh manifest and make the plan again");
  });

  it("blocks a plan whose newer manifest is dated in the future", () => {
    const future = reDigested(planFor(policy, "iskra-docs-behind"), (p) => (p.remote.generated_at = "2026-11-21T12:30:00Z"));
    const bundle = bundleWith(future);
    expect(bundle.evidence[1]!.generated_at).toBe("2026-11-21T11:40:00Z");
    expect(judge(bundle).reasons.map((r) => [r.code, r.path])).toEqual([["evidence_from_future", "bundle.evidence[1].data.remote.generated_at"]]);
  });

  it("names the risky files and the hard-manual class, pointing at the plan's files", () => {
    const verdict = judge(bundleWith(planFor(policy, "iskra-unit-behind")));
    expect(verdict.reasons.map((r) => [r.code, r.severity, r.path, r.evidence?.index])).toEqual([
      ["drift_high_risk", "hold", "bundle.evidence[1].data.files[0]", 1],
      ["drift_hard_manual", "hold", "bundle.evidence[1].data.files[0]", 1],
    ]);
    expect(verdict.reasons[1]!.message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) changes 1 file(s) in hard-manual class `service_restart` (`systemd/user/openclaw-gateway.service`) — starting, stopping or restarting a service (the OpenClaw gateway, systemd units); the operator owns it",
    );
  });

  it("keeps the worse of the plan's label and its own judgement; without [drift] rules every differing file is high risk", () => {
    const lax = bundleWith(planFor(policy, "iskra-unit-behind", { rules: laxRules(policy) }));
    expect(codes(lax)).toEqual(["drift_hard_manual", "drift_high_risk"]);
    const withoutDrift = parsePolicy(Buffer.from(readFileSync(SHIPPED_POLICY_PATH, "utf8").replace(/\n\[drift\][\s\S]*$/, "\n")));
    if (!withoutDrift.ok) throw new Error(JSON.stringify(withoutDrift.diagnostics));
    expect(withoutDrift.policy.drift).toBeNull();
    expect(codes(lax, withoutDrift.policy)).toEqual(["drift_high_risk"]);
    expect(codes(bundleWith(planFor(policy, "iskra-unit-behind")), withoutDrift.policy)).toEqual(["drift_hard_manual", "drift_high_risk"]);
    expect(codes(bundleWith(planFor(policy, "iskra-in-sync")), withoutDrift.policy)).toEqual(["drift_none", "dry_run_only"]);
    expect(judge(lax, withoutDrift.policy).reasons[0]!.message).toMatch(/policy `iskra-openclaw` has no \[drift\] rules to judge them by, so each counts as high risk/);
  });

  it("blocks a re-digested plan whose executor, lock, backup location, postchecks or targets are not the policy's", () => {
    const base = planFor(policy, "iskra-docs-behind");
    const cases: Array<[string, (p: DriftPlan) => void, string, RegExp]> = [
      ["executor", (p) => void (p.executor = "scp -r . root@iskra:/opt/iskra-openclaw/"), "executor", /names `scp -r \. root@iskra:\/opt\/iskra-openclaw\/` as its executor, but policy `iskra-openclaw` names `scripts\/iskra-openclaw-deploy\.sh`; make the plan again/],
      ["lock", (p) => void (p.prechecks.deploy_lock.lock = "/tmp/nolock"), "prechecks.deploy_lock.lock", /as its deploy lock/],
      ["backup location", (p) => void (p.prechecks.backup.location = "/dev/null"), "prechecks.backup.location", /as its backup location/],
      ["postchecks", (p) => void (p.postchecks = []), "postchecks", /lists postchecks none, but policy `iskra-openclaw` requires `a fresh patchwarden drift manifest/],
      [
        "a target",
        (p) => {
          p.files[0]!.target = "/etc/sudoers.d/iskra";
          p.prechecks.backup.files[0]!.target = "/etc/sudoers.d/iskra";
        },
        "files[0].target",
        /sends 1 file\(s\) \(`README\.md`\) elsewhere than policy `iskra-openclaw` maps them: `README\.md` to `\/etc\/sudoers\.d\/iskra` instead of `\/opt\/iskra-openclaw\/README\.md`; make the plan again with policy `iskra-openclaw`$/,
      ],
    ];
    for (const [what, edit, path, message] of cases) {
      const verdict = judge(bundleWith(reDigested(base, edit)));
      expect(verdict.verdict, what).toBe("blocked");
      const mismatch = verdict.reasons.filter((r) => r.code === "drift_plan_policy_mismatch");
      expect(mismatch.map((r) => r.path), what).toEqual([`bundle.evidence[1].data.${path}`]);
      expect(mismatch[0]!.message, what).toMatch(message);
    }
    expect(codes(bundleWith(base))).not.toContain("drift_plan_policy_mismatch");
  });

  it("refuses a re-digested plan whose backups, links or receipt fields disagree with its files", () => {
    const base = planFor(policy, "iskra-docs-behind");
    const edits: Array<[string, (p: DriftPlan) => void, string]> = [
      ["a backup's target", (p) => void (p.prechecks.backup.files[0]!.target = "/root/.ssh/authorized_keys"), "prechecks.backup.files"],
      ["a backup's mode", (p) => void (p.prechecks.backup.files[0]!.mode = "7777"), "prechecks.backup.files"],
      ["a backup's size", (p) => void (p.prechecks.backup.files[0]!.size += 1), "prechecks.backup.files"],
      ["link text on a file", (p) => void (p.files[0]!.remote!.link = "/etc/shadow"), "files[0].remote.link"],
      ["a receipt field", (p) => void (p.receipt_fields = [{ field: "accepted_by", records: "anyone" }]), "receipt_fields"],
    ];
    for (const [what, edit, path] of edits) {
      const verdict = judge(bundleWith(reDigested(base, edit)));
      expect(verdict.verdict, what).toBe("blocked");
      expect(verdict.reasons.filter((r) => r.code === "drift_plan_invalid").map((r) => r.path), what).toContain(`bundle.evidence[1].data.${path}`);
    }
  });

  it("judges a file that would become a link outside the tree high risk, whatever the plan says", () => {
    const linked = reDigested(planFor(policy, "iskra-docs-behind"), (p) => {
      const file = p.files[0]!;
      file.local = { type: "symlink", sha256: sha256Digest("/etc/shadow"), size: 11, mode: "0777", link: "/etc/shadow" };
      file.differs = ["type", "content", "mode"];
    });
    expect(linked.files[0]!.risk).toBe("low");
    const verdict = judge(bundleWith(linked));
    expect(verdict.reasons.map((r) => [r.code, r.path])).toContainEqual(["drift_high_risk", "bundle.evidence[1].data.files[0]"]);
    expect(verdict.verdict).toBe("needs_human");
  });

  describe("judges again, by its own policy, what a plan labels low", () => {
    // Made under laxer rules, then every label lowered and the digest computed again.
    const lax = (sides: Parameters<typeof planBetween>[1]) =>
      reDigested(planBetween(policy, { ...sides, rules: laxRules(policy) }), (p) => {
        for (const file of p.files) Object.assign(file, { risk: "low", hard_manual: null, rule: null, risk_note: "no risk rule matches: the policy's default" });
        p.risk = "low";
        p.hard_manual = [];
      });
    const held = (plan: DriftPlan) => {
      expect(plan.risk).toBe("low");
      const verdict = judge(bundleWith(plan));
      expect(verdict.verdict).toBe("needs_human");
      return verdict.reasons;
    };

    it("a systemd drop-in, like the unit it overrides", () => {
      const reasons = held(lax({ local: { "systemd/user/openclaw-gateway.service.d/override.conf": { content: "[Service]\nExecStart=\nExecStart=/tmp/evil\n" } } }));
      expect(reasons.map((r) => r.code)).toEqual(["drift_high_risk", "drift_hard_manual"]);
      expect(reasons[1]!.message).toMatch(/in hard-manual class `service_restart` \(`systemd\/user\/openclaw-gateway\.service\.d\/override\.conf`\)/);
    });

    it("a link that lands outside the tree on the host, though inside it in the manifest", () => {
      const reasons = held(lax({ local: { "systemd/user/notes.md": { content: "", link: "../../gh/hosts.yml" } } }));
      expect(reasons.map((r) => [r.code, r.path])).toEqual([["drift_high_risk", "bundle.evidence[1].data.files[0]"]]);
    });

    it("a file below a folder the host holds as a link, and the host's link", () => {
      const reasons = held(lax({ local: { "docs/runbook.md": { content: "# Runbook v2\n" } }, remote: { "docs/runbook.md": null, docs: { content: "", link: "/etc" } } }));
      expect(reasons.map((r) => [r.code, r.message])).toEqual([["drift_high_risk", "`deploy-drift-probe` evidence[1] (`iskra`) changes 2 high-risk file(s): `docs`, `docs/runbook.md`; the operator reviews them before any apply"]]);
    });

    it("a file added setuid or world-writable", () => {
      for (const mode of ["4755", "0666"]) {
        expect(held(lax({ local: { "docs/tools/helper": { content: "#!/bin/sh\nexec /bin/sh\n", mode } } })).map((r) => r.code), mode).toEqual(["drift_high_risk"]);
      }
    });

    it("a key or a secret in upper case", () => {
      for (const path of ["tls/server.KEY", "config/Secrets/api.json", "deploy/.ENV"]) {
        expect(held(lax({ local: { [path]: { content: "secret\n" } } })).map((r) => r.code), path).toEqual(["drift_high_risk", "drift_hard_manual"]);
      }
    });
  });

  it("keeps the plan's label for a link through a link both trees share, which only drift plan can see", () => {
    const through = planBetween(policy, { local: { lib: { content: "", link: "/etc" }, "docs/shadow.md": { content: "", link: "../lib/shadow" } }, remote: { lib: { content: "", link: "/etc" } } });
    expect(through.files.map((f) => [f.path, f.risk])).toEqual([["docs/shadow.md", "high"]]);
    expect(judge(bundleWith(through)).verdict).toBe("needs_human");
  });

  it("refuses a re-digested plan that drops every file yet compares two manifests with different digests", () => {
    const real = planFor(policy, "iskra-unit-behind");
    const forged = reDigested(real, (p) => {
      p.files = [];
      p.drift = false;
      p.risk = "none";
      p.hard_manual = [];
      p.counts = { changed: 0, added: 0, removed: 0, unchanged: p.local.files };
      p.prechecks.backup.files = [];
      p.summary = "no drift";
    });
    expect(forged.local.files).toBe(forged.remote.files);
    const verdict = judge(bundleWith(forged));
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["drift_plan_invalid", "bundle.evidence[1].data.drift"]]);
    expect(verdict.reasons[0]!.message).toBe(
      `\`deploy-drift-probe\` evidence[1] (\`iskra\`) is not a valid drift plan: says false, but the manifests' digests differ (local \`${real.local.digest}\`, remote \`${real.remote.digest}\`), so their entries do; make the plan again with \`patchwarden drift plan\` instead of editing it`,
    );
    // And the other way: files that differ between two manifests with one digest.
    const oneDigest = reDigested(real, (p) => void (p.remote.digest = p.prechecks.remote_unchanged.digest = p.local.digest));
    expect(judge(bundleWith(oneDigest)).reasons.map((r) => [r.code, r.path, r.message])).toEqual([
      ["drift_plan_invalid", "bundle.evidence[1].data.drift", expect.stringContaining(`says true, but both manifests have digest \`${real.local.digest}\`, so their entries are the same`)],
    ]);
  });

  it("blocks a plan of another host than the one the bundle's candidate targets, and does not call the target in sync", () => {
    const staging = planBetween(policy, { remoteHost: "staging" });
    const bundle = bundleWith(staging);
    expect([bundle.candidate.target?.host, staging.remote.host, staging.drift]).toEqual(["iskra", "staging", false]);
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["drift_plan_host_mismatch", "bundle.evidence[1].data.remote.host"]]);
    expect(verdict.reasons[0]!.message).toBe(
      "`deploy-drift-probe` evidence[1] (`staging`) compares the repository with host `staging`, but the bundle's candidate targets host `iskra`; take the remote manifest on that host (`patchwarden drift manifest --host iskra`) and make the plan again",
    );
    // A bundle that names no target host could borrow the plan for any host: refused too.
    const untargeted = bundleWith(staging);
    delete untargeted.candidate.target;
    const refused = judge(untargeted);
    expect(refused.verdict).toBe("blocked");
    expect(refused.reasons.map((r) => [r.code, r.path])).toEqual([["drift_plan_host_mismatch", "bundle.candidate.target.host"]]);
    expect(refused.reasons[0]!.message).toMatch(/names no target host; set `candidate\.target\.host` to the host the repair is for/);
  });

  it("refuses a re-digested plan whose host or root could forge lines or is not absolute", () => {
    const base = planFor(policy, "iskra-docs-behind");
    // The remote host is also the item's subject, which the bundle contract refuses first.
    const edits: Array<[string, (p: DriftPlan) => void, string, string, RegExp]> = [
      ["a line break in the host", (p) => void (p.remote.host = "iskra\n### 🟢 all good"), "bundle_invalid", "bundle.evidence[1].subject", /holds a control, bidirectional or invisible character/],
      ["a bidi override in the host", (p) => void (p.local.host = "work\u202Enoitats"), "drift_plan_invalid", "bundle.evidence[1].data.local.host", /`work\\u202enoitats` holds/],
      ["a relative root", (p) => void (p.local.root = "relative/x"), "drift_plan_invalid", "bundle.evidence[1].data.local.root", /`relative\/x` is not an absolute path/],
    ];
    for (const [what, edit, code, path, message] of edits) {
      const verdict = judge(bundleWith(reDigested(base, edit)));
      expect(verdict.verdict, what).toBe("blocked");
      const invalid = verdict.reasons.filter((r) => r.code === code);
      expect(invalid.map((r) => r.path), what).toEqual([path]);
      expect(invalid[0]!.message, what).toMatch(message);
    }
  });

  it("treats an approval claimed inside a plan as what it is: not a plan, and a claim", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind"));
    (bundle.evidence[1]!.data as Record<string, unknown>)["operator_approval"] = true;
    expect(codes(bundle)).toEqual(["approval_claim_ignored", "drift_plan_invalid"]);
  });
});

describe("only low-risk drift is eligible for a dry run (#3 §3)", () => {
  // "Drift with only low-risk files and fresh, green runtime evidence → eligible_repair_dry_run.
  //  Any high-risk or hard-manual file → needs_human." A medium-risk file is neither low nor
  //  proven safe: failing closed, it holds the plan.
  it("holds a plan that changes code the runtime loads (medium risk) for a human", () => {
    const plan = planBetween(policy, { local: { "src/gateway/probe.mjs": { content: "export const probe = () => process.exit(1);\n" } } });
    expect([plan.risk, plan.hard_manual]).toEqual(["medium", []]);
    const verdict = judge(bundleWith(plan));
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.map((r) => [r.code, r.severity, r.path])).toEqual([["drift_medium_risk", "hold", "bundle.evidence[1].data.files[0]"]]);
    expect(verdict.reasons[0]!.message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) changes 1 medium-risk file(s): `src/gateway/probe.mjs`; only low-risk drift may go to a dry run unreviewed, so the operator reviews them before any apply",
    );
  });

  it("holds a plan whose only file no risk rule matches (the shipped medium default), saying the default decided", () => {
    const plan = planBetween(policy, { local: { "bin/openclaw-helper": { content: "\x7fELF...", mode: "0755" } } });
    expect(plan.risk).toBe("medium");
    const verdict = judge(bundleWith(plan));
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.map((r) => r.code)).toEqual(["drift_medium_risk"]);
    expect(verdict.reasons[0]!.message).toMatch(/changes 1 medium-risk file\(s\): `bin\/openclaw-helper` \(no risk rule matches it: the policy's `default_risk`\); only low-risk drift/);
  });

  it("says how many of the medium-risk files took the default", () => {
    const plan = planBetween(policy, { local: { "src/gateway/probe.mjs": { content: "export const probe = () => 1;\n" }, "bin/openclaw-helper": { content: "helper\n" } } });
    expect(judge(bundleWith(plan)).reasons.map((r) => r.message)).toEqual([
      "`deploy-drift-probe` evidence[1] (`iskra`) changes 2 medium-risk file(s): `bin/openclaw-helper`, `src/gateway/probe.mjs` (no risk rule matches 1 of them: the policy's `default_risk`); only low-risk drift may go to a dry run unreviewed, so the operator reviews them before any apply",
    ]);
  });

  it("judges the default by its own policy: with a low default, the unmatched file is low-risk drift", () => {
    const lowDefault = parsePolicy(Buffer.from(readFileSync(SHIPPED_POLICY_PATH, "utf8").replace('default_risk = "medium"', 'default_risk = "low"')));
    if (!lowDefault.ok) throw new Error(JSON.stringify(lowDefault.diagnostics));
    const plan = planBetween(policy, { local: { "bin/openclaw-helper": { content: "helper\n" } } });
    // The plan's own label (made under the shipped policy) is medium, and the worse label stands.
    expect(codes(bundleWith(plan), lowDefault.policy)).toEqual(["drift_medium_risk"]);
    const relabelled = planBetween(policy, { local: { "bin/openclaw-helper": { content: "helper\n" } }, rules: lowDefault.policy.drift! });
    expect(codes(bundleWith(relabelled), lowDefault.policy)).toEqual(["dry_run_only"]);
  });

  it("reports a medium-risk file that is also hard-manual under both codes", () => {
    expect(codes(bundleWith(planFor(policy, "iskra-config-behind")))).toEqual(["drift_hard_manual", "drift_medium_risk"]);
  });
});

describe("two drift plans of one host (#2 §5: contradictory duplicates → at best needs_human)", () => {
  it("holds two plans that disagree, both `pass`, as contradictory evidence", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind"));
    const inSync = planEvidenceItem(planFor(policy, "iskra-in-sync"));
    bundle.evidence.push(inSync);
    expect([bundle.evidence[1]!.subject, bundle.evidence[2]!.subject, bundle.evidence[1]!.status, bundle.evidence[2]!.status]).toEqual(["iskra", "iskra", "pass", "pass"]);
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("needs_human");
    const contradictory = verdict.reasons.filter((r) => r.code === "evidence_contradictory");
    expect(contradictory.map((r) => [r.path, r.evidence?.index])).toEqual([["bundle.evidence[2]", 2]]);
    expect(contradictory[0]!.message).toBe(
      `\`deploy-drift-probe\` items evidence[1], evidence[2] about \`iskra\` disagree (different plans: \`${bundle.evidence[1]!.data["digest"]}\` vs \`${inSync.data["digest"]}\`); the producer must settle which is true`,
    );
    expect(verdict.reasons.map((r) => r.code)).not.toContain("dry_run_only");
  });

  it("names the statuses and the plans when both differ", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind"));
    bundle.evidence.push({ ...planEvidenceItem(planFor(policy, "iskra-in-sync")), status: "warn" });
    const message = judge(bundle).reasons.find((r) => r.code === "evidence_contradictory")!.message;
    expect(message).toMatch(/disagree \(`pass` vs `warn`, and different plans: `sha256:[0-9a-f]{64}` vs `sha256:[0-9a-f]{64}`\)/);
  });

  it("does not call one plan given twice a contradiction", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind"));
    bundle.evidence.push(planEvidenceItem(planFor(policy, "iskra-docs-behind")));
    expect(codes(bundle)).toEqual(["dry_run_only"]);
  });
});

describe("valid_until of a drift verdict (#2 §5: when the needed evidence goes stale)", () => {
  // The gate judges each manifest's own time (manifestTimeReasons); valid_until must too, or a
  // verdict says it holds until a time after which the same inputs are blocked.
  it("promises no more than the older manifest's max_age, however late the item is dated", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind")); // local manifest 11:40, remote 11:45
    bundle.evidence[1]!.generated_at = "2026-11-21T11:55:00Z"; // the producer dated the item when it wrapped the plan
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
    expect(verdict.valid_until).toBe("2026-11-21T12:40:00.000Z");
    expect(verdict.evidence[1]!.stale_at).toBe("2026-11-21T12:40:00.000Z");
    const validUntil = Date.parse(verdict.valid_until!);
    expect(judge(bundle, policy, validUntil).verdict).toBe("eligible_repair_dry_run");
    const after = judge(bundle, policy, validUntil + 1000);
    expect(after.verdict).toBe("blocked");
    expect(after.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_stale", "bundle.evidence[1].data.local.generated_at"]]);
  });

  it("counts only the manifest times that place: an unplaceable one is the inspector's to block", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind"));
    bundle.evidence[1]!.generated_at = "2026-11-21T11:55:00Z";
    (bundle.evidence[1]!.data["local"] as Record<string, unknown>)["generated_at"] = 1700000000;
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toContainEqual(["drift_plan_invalid", "bundle.evidence[1].data.local.generated_at"]);
    expect(verdict.valid_until).toBe("2026-11-21T12:45:00.000Z"); // the remote manifest's 11:45, not the item's 11:55
  });
});
