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
  /** The same glob ignoring case: `tls/server.KEY` is a key all the same. */
  matchesIgnoringCase: (path: string) => boolean;
  /** Ignoring case may change what the glob matches (`Caddyfile`), even for a lower-case path. */
  globHasCase: boolean;
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
      matches: globMatcher(rule.glob, GLOB_OPTIONS),
      matchesIgnoringCase: globMatcher(rule.glob, { ...GLOB_OPTIONS, nocase: true }),
      globHasCase: hasCase(rule.glob, true),
    })),
  };
}

/**
 * What picomatch's own matcher decides (the glob itself, or its regex), without the result object
 * it builds on every call: the gate matches each differing file against the rules twice over.
 */
function globMatcher(glob: string, options: picomatch.PicomatchOptions): (path: string) => boolean {
  const regex = picomatch.makeRe(glob, options);
  return (path) => path !== "" && (path === glob || regex.test(path));
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

/** What, beyond its path, makes a differing file riskier; each raises it, as classify says. */
export interface RiskFacts {
  /** Its mode differs between the two sides. */
  modeChanged?: boolean;
  /** The mode a deploy would write, when it is setuid, setgid, sticky or world-writable (see riskyModeOf). */
  riskyMode?: string | null;
  /** Some path mapping covers it; default true. */
  mapped?: boolean;
  /** Why it may lead outside the deployed tree (a link, or a link above it), or null. */
  outside?: string | null;
}

/**
 * A differing file's risk: the first risk rule whose glob matches its path (else the default),
 * raised to the policy's `mode_change_risk` when its mode changes or it would be written with a
 * risky mode, and to `high` when the policy maps it to no path on the host (a plan that cannot say
 * where a file goes needs a human) or when it may lead outside the deployed tree (a link to
 * `/etc/shadow`, a folder the host holds as a link), which no glob on its own path can judge.
 */
export function classify(rules: DriftRules, path: string, facts: RiskFacts = {}): Classification {
  const match = firstRule(rules, path);
  const rule = match?.rule;
  let risk = rule?.risk ?? rules.defaultRisk;
  const notes = [match ? `matches \`${match.rule.glob}\`${match.ignoringCase ? " ignoring case" : ""}${match.rule.description ? ` (${match.rule.description})` : ""}` : "no risk rule matches: the policy's default"];
  if ((facts.modeChanged || facts.riskyMode) && RISK_RANK[rules.modeChangeRisk] > RISK_RANK[risk]) {
    risk = rules.modeChangeRisk;
    notes.push(facts.modeChanged ? `its mode changes: raised to ${risk}` : `it would be written with mode \`${facts.riskyMode}\` (setuid, setgid, sticky or world-writable): raised to ${risk}`);
  }
  if (facts.mapped === false && risk !== "high") {
    risk = "high";
    notes.push("no path mapping covers it: raised to high");
  }
  if (facts.outside && risk !== "high") {
    risk = "high";
    notes.push(`${facts.outside}: raised to high`);
  }
  return { risk, hardManual: rule?.hardManual ?? null, rule: rule?.glob ?? null, note: notes.join("; ") };
}

/**
 * The rule that decides a path: the worse of the first rule matching it as written (or the
 * default, when none does) and the first matching it ignoring case, so `config/Secrets/api.json`
 * is judged as credentials, not by `config/**`, and `README.MD` gains nothing over the default.
 * On a tie the one naming a hard-manual class wins, then the one matching as written. A path's
 * case is the producer's to choose, and a host that ignores case gives it no meaning.
 */
function firstRule(rules: DriftRules, path: string): { rule: RiskRule; ignoringCase: boolean } | undefined {
  let exact: RiskRule | undefined;
  let folded: RiskRule | undefined;
  // Where neither the path nor the glob holds anything case folding could touch, ignoring case
  // changes nothing: most paths are lower-case ASCII, and this spares them a second match per rule.
  const pathHasCase = hasCase(path);
  for (const candidate of rules.riskRules) {
    // Whatever a glob matches as written it matches ignoring case, so `folded` is found no later.
    if (folded === undefined && (pathHasCase || candidate.globHasCase) && candidate.matchesIgnoringCase(path)) folded = candidate;
    if (candidate.matches(path)) {
      exact = candidate;
      break;
    }
  }
  const asWritten = exact === undefined ? undefined : { rule: exact, ignoringCase: false };
  if (folded === undefined || folded === exact) return asWritten;
  const writtenRank = RISK_RANK[exact?.risk ?? rules.defaultRisk];
  const foldedRank = RISK_RANK[folded.risk];
  const foldedWorse = foldedRank > writtenRank || (foldedRank === writtenRank && folded.hardManual !== null && (exact?.hardManual ?? null) === null);
  return foldedWorse ? { rule: folded, ignoringCase: true } : asWritten;
}

// An upper-case ASCII letter, or any character beyond ASCII (where case folding has its own rules).
const MAY_FOLD = /[^\u0000-\u0040\u005b-\u007f]/;

/**
 * Whether ignoring case may change what `text` matches or is matched by: it holds a character
 * MAY_FOLD finds, or (in a glob) a `[` class, whose range can span upper case (`[0-a]`).
 */
function hasCase(text: string, isGlob = false): boolean {
  return MAY_FOLD.test(text) || (isGlob && text.includes("["));
}

/** setuid, setgid, sticky or world-writable: bits that matter whatever a file holds. */
const RISKY_MODE_BITS = 0o7002;

/**
 * The mode a deploy would write for this side, when it is risky; else null. A link's mode is
 * always 0777 and means nothing, so links have none.
 */
export function riskyModeOf(state: { type: string; mode: string } | null): string | null {
  return state !== null && state.type === "file" && (Number.parseInt(state.mode, 8) & RISKY_MODE_BITS) !== 0 ? state.mode : null;
}

export function worseRisk(a: DriftRisk, b: DriftRisk): DriftRisk {
  return RISK_RANK[a] >= RISK_RANK[b] ? a : b;
}
