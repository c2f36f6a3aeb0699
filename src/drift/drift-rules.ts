import picomatch from "picomatch/posix.js";
import { GLOB_OPTIONS, type DriftPolicyDocument, type DriftRisk } from "./drift-policy-schema.js";

export const RISK_RANK: Readonly<Record<DriftRisk, number>> = { low: 0, medium: 1, high: 2 };

export interface PathMapping {
  local: string;
  target: string;
  /** `local` is a folder prefix (`""` or ending in `/`); otherwise it names one file. */
  isFolder: boolean;
}

export interface RiskRule {
  glob: string;
  risk: DriftRisk;
  hardManual: string | null;
  description: string | null;
  matches: (path: string) => boolean;
}

/** The policy's `[drift]` section, compiled once: globs become matchers. Pure. */
export interface DriftRules {
  executor: string;
  lock: string;
  backupLocation: string;
  postchecks: readonly string[];
  defaultRisk: DriftRisk;
  modeChangeRisk: DriftRisk;
  paths: readonly PathMapping[];
  riskRules: readonly RiskRule[];
}

export function compileDriftRules(document: DriftPolicyDocument): DriftRules {
  return {
    executor: document.executor,
    lock: document.lock,
    backupLocation: document.backup_location,
    postchecks: [...document.postchecks],
    defaultRisk: document.default_risk,
    modeChangeRisk: document.mode_change_risk,
    paths: document.paths.map((mapping) => ({ ...mapping, isFolder: mapping.local === "" || mapping.local.endsWith("/") })),
    riskRules: document.risk_rules.map((rule) => ({
      glob: rule.glob,
      risk: rule.risk,
      hardManual: rule.hard_manual ?? null,
      description: rule.description ?? null,
      matches: picomatch(rule.glob, GLOB_OPTIONS),
    })),
  };
}

/** Where a manifest path lands on the host: the first mapping that covers it, or null when none does. */
export function targetOf(rules: DriftRules, path: string): string | null {
  for (const mapping of rules.paths) {
    if (mapping.isFolder ? path.startsWith(mapping.local) : path === mapping.local) {
      return mapping.isFolder ? mapping.target + path.slice(mapping.local.length) : mapping.target;
    }
  }
  return null;
}

export interface Classification {
  risk: DriftRisk;
  hardManual: string | null;
  /** The glob of the rule that matched, or null for the policy's default. */
  rule: string | null;
  /** Why the file has this risk, for the operator. */
  note: string;
}

/**
 * A differing file's risk: the first risk rule whose glob matches its path (else the default),
 * raised to the policy's `mode_change_risk` when its mode changes, and to `high` when the policy
 * maps it to no path on the host (a plan that cannot say where a file goes needs a human) or when
 * it would become a link pointing outside the deployed tree (`/etc/shadow`, `../../..`), which
 * no glob on its own path can judge.
 */
export function classify(rules: DriftRules, path: string, modeChanged: boolean, mapped: boolean, linkOutside: string | null = null): Classification {
  const rule = rules.riskRules.find((candidate) => candidate.matches(path));
  let risk = rule?.risk ?? rules.defaultRisk;
  const notes = [rule ? `matches \`${rule.glob}\`${rule.description ? ` (${rule.description})` : ""}` : "no risk rule matches: the policy's default"];
  if (modeChanged && RISK_RANK[rules.modeChangeRisk] > RISK_RANK[risk]) {
    risk = rules.modeChangeRisk;
    notes.push(`its mode changes: raised to ${risk}`);
  }
  if (!mapped && risk !== "high") {
    risk = "high";
    notes.push("no path mapping covers it: raised to high");
  }
  if (linkOutside !== null && risk !== "high") {
    risk = "high";
    notes.push(`a link to \`${linkOutside}\`, outside the deployed tree: raised to high`);
  }
  return { risk, hardManual: rule?.hardManual ?? null, rule: rule?.glob ?? null, note: notes.join("; ") };
}

export function worseRisk(a: DriftRisk, b: DriftRisk): DriftRisk {
  return RISK_RANK[a] >= RISK_RANK[b] ? a : b;
}
