import { compileDriftRules, type DriftRules } from "../../src/drift/drift-rules.js";
import { buildManifest, serializeManifest } from "../../src/drift/manifest.js";
import type { Manifest, ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { planDigest } from "../../src/drift/plan-digest.js";
import { addPlanToBundle, planBundle, planEvidenceItem } from "../../src/drift/plan-item.js";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import { sha256Digest, type Sha256Digest } from "../../src/integrity/digest.js";
import type { Policy } from "../../src/policy/policy.js";

/**
 * The drift fixtures (fixtures/drift/ and fixtures/examples/kinds/deploy-drift-probe.json), made
 * by the real code from small trees described here. test/drift/fixtures.test.ts checks the files
 * are exactly what this makes; after a deliberate change to the plan, rewrite them with
 *
 *   PATCHWARDEN_UPDATE_FIXTURES=1 npx vitest run test/drift/fixtures.test.ts
 */

export const PLANNED_AT = Date.parse("2026-11-21T11:50:00Z");
const GENERATOR = { name: "patchwarden", version: "0.1.0" };

export interface FileSpec {
  content: string;
  mode?: string;
  link?: string;
}

const REPOSITORY: Record<string, FileSpec> = {
  "README.md": { content: "# iskra-openclaw\n\nDeployment of Iskra on the OpenClaw runtime.\n" },
  "bin/openclaw-probe": { content: "", link: "../src/gateway/probe.mjs" },
  "config/openclaw.json5": { content: '{ gateway: { mode: "local", port: 18789 } }\n' },
  "docs/runbook.md": { content: "# Runbook\n\nDeploy with scripts/iskra-openclaw-deploy.sh after the gate says eligible.\n" },
  "scripts/iskra-openclaw-deploy.sh": { content: "#!/bin/sh\nset -eu\n# the canonical deploy runbook\n", mode: "0755" },
  "src/gateway/probe.mjs": { content: "export const probe = () => fetch('http://127.0.0.1:18789/readyz');\n" },
  "systemd/user/openclaw-gateway.service": { content: "[Service]\nExecStart=/usr/bin/openclaw gateway\nRestart=on-failure\n" },
};

function entries(files: Record<string, FileSpec>): ManifestEntry[] {
  return Object.entries(files).map(([path, spec]): ManifestEntry => {
    if (spec.link !== undefined) return { path, type: "symlink", target: spec.link, sha256: sha256Digest(spec.link), size: Buffer.byteLength(spec.link), mode: "0777" };
    return { path, type: "file", sha256: sha256Digest(spec.content), size: Buffer.byteLength(spec.content), mode: spec.mode ?? "0644" };
  });
}

function withChanges(changes: Record<string, FileSpec | null>): Record<string, FileSpec> {
  const files = { ...REPOSITORY };
  for (const [path, spec] of Object.entries(changes)) {
    if (spec === null) delete files[path];
    else files[path] = spec;
  }
  return files;
}

const local = (ignore: string[] = []): Manifest =>
  buildManifest(entries(REPOSITORY), { generatedAt: "2026-11-21T11:40:00Z", host: "workstation", root: "/srv/src/iskra-openclaw", ignore, generator: GENERATOR });

const remote = (files: Record<string, FileSpec>, options: { at?: string; ignore?: string[]; host?: string } = {}): Manifest =>
  buildManifest(entries(files), { generatedAt: options.at ?? "2026-11-21T11:45:00Z", host: options.host ?? "iskra", root: "/opt/iskra-openclaw", ignore: options.ignore ?? [], generator: GENERATOR });

const OLD_DOCS = {
  "README.md": { content: "# iskra-openclaw\n" },
  "docs/runbook.md": { content: "# Runbook\n\nDeploy with scripts/iskra-openclaw-deploy.sh.\n" },
};

/** The host trees: each differs from the repository in one way a golden case judges. */
export const REMOTES = {
  "iskra-in-sync": () => remote(REPOSITORY),
  "iskra-docs-behind": () => remote(withChanges({ ...OLD_DOCS, "docs/retired.md": { content: "# Retired\n" } })),
  "iskra-docs-behind-stale": () => remote(withChanges(OLD_DOCS), { at: "2026-11-21T10:30:00Z" }),
  "iskra-docs-behind-ignoring-logs": () => remote(withChanges(OLD_DOCS), { ignore: ["**/*.log"] }),
  "iskra-runbook-mode": () => remote(withChanges({ "docs/runbook.md": { ...REPOSITORY["docs/runbook.md"]!, mode: "0755" } })),
  "iskra-config-behind": () => remote(withChanges({ "config/openclaw.json5": { content: '{ gateway: { port: 18789 } }\n' } })),
  "iskra-unit-behind": () => remote(withChanges({ "systemd/user/openclaw-gateway.service": { content: "[Service]\nExecStart=/usr/bin/openclaw gateway\n" } })),
  // A drop-in someone added on the host: it changes the unit as much as the unit file does.
  "iskra-dropin-on-host": () => remote(withChanges({ "systemd/user/openclaw-gateway.service.d/override.conf": { content: "[Service]\nEnvironment=OPENCLAW_DEBUG=1\n" } })),
  // Code the runtime loads is behind: medium risk, which only a human may let through.
  "iskra-code-behind": () => remote(withChanges({ "src/gateway/probe.mjs": { content: "export const probe = () => fetch('http://127.0.0.1:18789/healthz');\n" } })),
  // A file left on the host that no risk rule matches: the policy's default (medium) judges it.
  "iskra-leftover-on-host": () => remote(withChanges({ "share/openclaw/wordlist.dat": { content: "alpha\nbravo\n" } })),
  // The docs-behind tree, but the manifest was taken on another machine than the candidate's host.
  "forge-docs-behind": () => remote(withChanges(OLD_DOCS), { host: "forge" }),
} as const;

export type RemoteName = keyof typeof REMOTES;

/** What Iskra writes: the candidate and its runtime truth, to which `drift plan --into` adds the plan. */
export function iskraBundle(status: "pass" | "warn" = "pass"): EvidenceBundle {
  return {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:50:00Z",
    producer: { name: "iskra-autoheal", version: "0.9.0", host: "iskra" },
    candidate: {
      repair_class: "deploy_drift_probe",
      summary: "The host has drifted from the repository; propose a deploy-drift plan for the operator",
      target: { host: "iskra" },
    },
    evidence: [
      {
        id: "rt-2026-11-21T11:48",
        kind: "runtime-truth-report",
        subject: "openclaw-gateway",
        generated_at: "2026-11-21T11:48:00Z",
        status,
        summary: status === "pass" ? "gateway active, health ok, every channel probe ok" : "gateway active, but the matrix channel probe was skipped",
        data: { version: "2026.11.2", unit: { name: "openclaw-gateway.service", active: "active", sub: "running" }, health: { ok: true }, ...(status === "pass" ? {} : { summary: { total: 2, pass: 1, fail: 0, skip: 1 } }), readyz: { status: 200, draining: false } },
      },
    ],
  };
}

/**
 * A deliberately lax `[drift]` section: everything low, one mapping. A plan made under it labels a
 * systemd unit `low`; the gate must judge the unit by its own policy anyway.
 */
/**
 * The shipped policy's [drift] section with every file judged low: a plan made under it carries
 * the same executor, lock, backup location, postchecks and targets, and only laxer labels.
 */
export function laxRules(policy: Policy): DriftRules {
  return compileDriftRules({ ...policy.document.drift!, default_risk: "low", mode_change_risk: "low", risk_rules: [] });
}

export function planFor(policy: Policy, remoteName: RemoteName, options: { rules?: DriftRules; localIgnore?: string[]; policyDigest?: Sha256Digest } = {}): DriftPlan {
  return buildPlan({
    local: local(options.localIgnore),
    remote: REMOTES[remoteName](),
    rules: options.rules ?? policy.drift!,
    policy: { name: policy.name, digest: options.policyDigest ?? policy.digest },
    now: PLANNED_AT,
  });
}

/**
 * A plan between the repository and the host, each side the repository with its own changes (null
 * removes a path): for tests of one edge case each, not for the fixture files.
 */
export function planBetween(policy: Policy, sides: { local?: Record<string, FileSpec | null>; remote?: Record<string, FileSpec | null>; remoteHost?: string; rules?: DriftRules }): DriftPlan {
  return buildPlan({
    local: buildManifest(entries(withChanges(sides.local ?? {})), { generatedAt: "2026-11-21T11:40:00Z", host: "workstation", root: "/srv/src/iskra-openclaw", ignore: [], generator: GENERATOR }),
    remote: remote(withChanges(sides.remote ?? {}), sides.remoteHost === undefined ? {} : { host: sides.remoteHost }),
    rules: sides.rules ?? policy.drift!,
    policy: { name: policy.name, digest: policy.digest },
    now: PLANNED_AT,
  });
}

function intoIskraBundle(plan: DriftPlan, status: "pass" | "warn" = "pass"): EvidenceBundle {
  const added = addPlanToBundle(iskraBundle(status), plan, PLANNED_AT);
  if (!added.ok) throw new Error(added.problem);
  return added.bundle;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Every drift fixture file, by path under fixtures/. `policyDigest` pins the digest the files
 * record, so an unrelated edit of the shipped policy does not make them stale; an edit of its
 * `[drift]` rules does.
 */
export function driftFixtureFiles(policy: Policy, policyDigest: Sha256Digest): Map<string, string> {
  const plan = (name: RemoteName, options: { rules?: DriftRules; localIgnore?: string[] } = {}) => planFor(policy, name, { ...options, policyDigest });
  const files = new Map<string, string>();
  files.set("drift/manifests/workstation.manifest.json", serializeManifest(local()));
  for (const name of Object.keys(REMOTES) as RemoteName[]) files.set(`drift/manifests/${name}.manifest.json`, serializeManifest(REMOTES[name]()));
  files.set("drift/iskra-runtime-truth.bundle.json", json(iskraBundle()));
  files.set("drift/no-drift.bundle.json", json(intoIskraBundle(plan("iskra-in-sync"))));
  files.set("drift/docs-behind.bundle.json", json(intoIskraBundle(plan("iskra-docs-behind"))));
  files.set("drift/docs-behind-runtime-warn.bundle.json", json(intoIskraBundle(plan("iskra-docs-behind"), "warn")));
  files.set("drift/docs-behind-plan-only.bundle.json", json(planBundle(plan("iskra-docs-behind"), PLANNED_AT, { name: "patchwarden drift plan", version: GENERATOR.version })));
  files.set("drift/stale-remote.bundle.json", json(intoIskraBundle(plan("iskra-docs-behind-stale"))));
  files.set("drift/ignore-mismatch.bundle.json", json(intoIskraBundle(plan("iskra-docs-behind-ignoring-logs"))));
  files.set("drift/runbook-mode-changed.bundle.json", json(intoIskraBundle(plan("iskra-runbook-mode"))));
  files.set("drift/config-behind.bundle.json", json(intoIskraBundle(plan("iskra-config-behind"))));
  files.set("drift/unit-behind.bundle.json", json(intoIskraBundle(plan("iskra-unit-behind"))));
  files.set("drift/dropin-on-host.bundle.json", json(intoIskraBundle(plan("iskra-dropin-on-host"))));
  files.set("drift/other-host.bundle.json", json(intoIskraBundle(plan("forge-docs-behind"))));
  files.set("drift/code-behind.bundle.json", json(intoIskraBundle(plan("iskra-code-behind"))));
  files.set("drift/leftover-on-host.bundle.json", json(intoIskraBundle(plan("iskra-leftover-on-host"))));

  // Two plans of one host that cannot both be true: one finds it behind, the other in sync.
  const twoPlans = intoIskraBundle(plan("iskra-docs-behind"));
  twoPlans.evidence.push(planEvidenceItem(plan("iskra-in-sync")));
  files.set("drift/two-plans-disagree.bundle.json", json(twoPlans));
  files.set("drift/unit-behind-lax-labels.bundle.json", json(intoIskraBundle(plan("iskra-unit-behind", { rules: laxRules(policy) }))));

  // Edited after the plan was made: the #142 shortcut written in as the executor. Still a valid
  // plan in shape and self-consistent, so only the digest can tell.
  const tampered = intoIskraBundle(plan("iskra-docs-behind"));
  (tampered.evidence[1]!.data as { executor: string }).executor = "scp -r . root@iskra:/opt/iskra-openclaw/";
  files.set("drift/tampered-executor.bundle.json", json(tampered));

  // Edited and digested again: the digest cannot tell, so the gate checks what an apply would act
  // on against its own policy. The #142 shortcut as executor, and a file sent somewhere else.
  const { digest: _digest, ...content } = plan("iskra-docs-behind");
  content.executor = "scp -r . root@iskra:/opt/iskra-openclaw/";
  content.files[0] = { ...content.files[0]!, target: "/etc/sudoers.d/iskra" };
  content.prechecks.backup.files = content.prechecks.backup.files.map((backup) => (backup.path === content.files[0]!.path ? { ...backup, target: "/etc/sudoers.d/iskra" } : backup));
  files.set("drift/redigested-executor.bundle.json", json(intoIskraBundle({ ...content, digest: planDigest(content) })));

  // The placeholder shape this kind had before plans existed: counts and a risk, no plan.
  const invalid = iskraBundle();
  invalid.evidence.push({ kind: "deploy-drift-probe", subject: "iskra", generated_at: "2026-11-21T11:45:00Z", status: "pass", summary: "2 files differ", data: { changed: 1, added: 1, removed: 0, risk: "low", hard_manual: false } });
  files.set("drift/invalid-plan.bundle.json", json(invalid));

  files.set("examples/kinds/deploy-drift-probe.json", json(planEvidenceItem(plan("iskra-docs-behind"))));
  return files;
}

/** The example bundle with `plan` added as its deploy-drift-probe item, as the plan command adds it. */
export function bundleWith(plan: DriftPlan): EvidenceBundle {
  const added = addPlanToBundle(iskraBundle(), plan, PLANNED_AT);
  if (!added.ok) throw new Error(added.problem);
  return added.bundle;
}

/** A plan edited by someone who knows to recompute its digest: the digest cannot catch it. */
export function reDigested(plan: DriftPlan, edit: (plan: DriftPlan) => void): DriftPlan {
  const copy = structuredClone(plan);
  edit(copy);
  copy.digest = planDigest(copy);
  return copy;
}
