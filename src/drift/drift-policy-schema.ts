import picomatch from "picomatch/posix.js";
import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { globProblem, type GlobPlace } from "../glob/glob-problem.js";
import { isRecord, listOf } from "../document/is-record.js";
import type { RiskLevel } from "../policy/policy-schema.js";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../markdown/unsafe-characters.js";
import { manifestPathProblem } from "./manifest-path.js";

const MAX_DRIFT_TEXT = 500;

// Repeated here rather than imported: policy-schema.ts imports this file, and a value import
// back would be a cycle. The type check below keeps the two lists the same.
export const DRIFT_RISK_LEVELS = ["low", "medium", "high"] as const satisfies readonly RiskLevel[];
// Fails to compile should the policy gain a risk level this list lacks.
const everyRiskLevelListed: RiskLevel extends DriftRisk ? true : never = true;
void everyRiskLevelListed;

const risk = z.enum(DRIFT_RISK_LEVELS);

/** Globs are matched against manifest paths with these options everywhere (policy and --ignore); risk rules ignoring case as well (drift-rules.ts). */
export const GLOB_OPTIONS = { dot: true } as const;

/** Manifest paths: the messages' examples, and the options every drift glob is compiled with. */
const MANIFEST_GLOBS: GlobPlace = { paths: "relative to the manifest's root", example: "`**/*.service`", examples: "`**/*.service` or `docs/**`", options: GLOB_OPTIONS };

/**
 * A risk rule's glob: a glob, and one that can match a file. picomatch accepts some mistakes and
 * then matches nothing: it reads an unclosed brace or bracket literally, and a manifest path never
 * ends in `/` (it names a file), nor holds a backslash, a control or bidirectional character, or an
 * empty, `.` or `..` segment. A rule that never matches drops its files to a lower risk without a
 * word, so these are refused; so is a `[!…]` class (globProblem), which picomatch reads the wrong way round.
 */
export function riskGlobProblem(glob: string): string | null {
  const problem = globProblem(glob, MANIFEST_GLOBS);
  if (problem !== null) return problem;
  if (glob.endsWith("/")) return `${quote(glob)} ends in \`/\`, but manifest paths name files, never folders, so it matches nothing; write \`${glob}**\` for every file under it`;
  if (UNSAFE_CHARACTER.test(glob)) return `${quote(writeOutUnsafe(glob))} holds a control or bidirectional character, but manifest paths hold none, so it matches no file; remove it`;
  if (hasDotSegment(glob)) return `${quote(glob)} has an empty, \`.\` or \`..\` segment, but manifest paths have none, so it matches no file; write the path without it, like \`config/secrets/**\``;
  return literalGlobProblem(glob, "file");
}

/**
 * An `--ignore` glob: as a risk rule's, one that can match what the scan meets, which is folders
 * as well as files, by paths with no `/` at the end and no empty, `.` or `..` segment. It is
 * recorded in the manifest and shown in every plan, so it is plain text too.
 */
export function ignoreGlobProblem(glob: string): string | null {
  const problem = globProblem(glob, MANIFEST_GLOBS);
  if (problem !== null) return problem;
  if (glob.endsWith("/")) return `${quote(glob)} ends in \`/\`, but the scan matches paths without one, so it matches nothing; write \`${glob.replace(/\/+$/, "")}\` to skip the folder and everything in it`;
  if (UNSAFE_CHARACTER.test(glob)) return `${quote(writeOutUnsafe(glob))} holds a control or bidirectional character, which the manifest would record and every plan show; match it with \`?\`, like \`**/Icon?\``;
  if (hasDotSegment(glob)) return `${quote(glob)} has an empty, \`.\` or \`..\` segment, but scanned paths have none, so it matches nothing; write the path from DIR without it, like \`docs/*.md\``;
  return literalGlobProblem(glob, "path");
}

// picomatch drops a leading `./`, but no other `.` segment.
function hasDotSegment(glob: string): boolean {
  const segments = glob.split("/");
  return segments.some((segment, i) => segment === "" || segment === ".." || (segment === "." && (i > 0 || segments.length === 1)));
}

/** A backslash or an unpaired bracket, which picomatch reads literally: a manifest path holds neither. */
function literalGlobProblem(glob: string, what: "file" | "path"): string | null {
  if (glob.includes("\\")) return `${quote(glob)} holds a backslash; manifest paths are \`/\`-separated and hold no escapes, so write \`/\` or remove it`;
  const unpaired = unpairedBracket(glob);
  if (unpaired !== null) return `${quote(glob)} has ${unpaired}, so it is read literally and matches no ${what}; pair its \`{}\`, \`[]\` and \`()\``;
  return null;
}

const OPENERS: Readonly<Record<string, string>> = { "}": "{", "]": "[", ")": "(" };

function unpairedBracket(glob: string): string | null {
  const open: string[] = [];
  for (const char of glob) {
    if (char === "{" || char === "[" || char === "(") open.push(char);
    else if (Object.hasOwn(OPENERS, char) && open.pop() !== OPENERS[char]) return `a \`${char}\` with no \`${OPENERS[char]}\` before it`;
  }
  return open.length > 0 ? `an unclosed \`${open[open.length - 1]}\`` : null;
}

const glob = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = riskGlobProblem(text);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * Text every plan shows and the operator acts on (the runbook, the lock, the backup place, the
 * postchecks, a risk rule's description): one plain line, or the plan shows other text than the
 * policy holds.
 */
function refusingUnsafe(text: string, ctx: z.RefinementCtx<string>): void {
  if (UNSAFE_CHARACTER.test(text)) ctx.addIssue({ code: "custom", message: `${quote(writeOutUnsafe(text))} holds a control character, line break or bidirectional control, which every plan would show as other text; write it in plain text on one line` });
}
const planText = z.string().min(1).max(MAX_DRIFT_TEXT).superRefine(refusingUnsafe);

const pathMapping = z
  .strictObject({
    local: z.string().describe("a folder of the manifest ending in `/` (`\"\"` for the whole tree), or one file"),
    target: z.string().min(1).describe("the absolute path on the host it lands at"),
  })
  .superRefine((mapping, ctx) => {
    const isFolder = mapping.local === "" || mapping.local.endsWith("/");
    if (mapping.local !== "") {
      const problem = manifestPathProblem(isFolder ? mapping.local.slice(0, -1) : mapping.local);
      if (problem !== null) ctx.addIssue({ code: "custom", path: ["local"], message: problem });
    }
    if (UNSAFE_CHARACTER.test(mapping.target)) {
      ctx.addIssue({ code: "custom", path: ["target"], message: `${quote(writeOutUnsafe(mapping.target))} holds a control character, line break or bidirectional control, so plans would show another path than the real one; write the host path in plain text, like \`/opt/iskra-openclaw/\`` });
    } else if (!mapping.target.startsWith("/") || mapping.target.split("/").some((segment) => segment === ".." || segment === ".")) {
      ctx.addIssue({ code: "custom", path: ["target"], message: `${quote(mapping.target)} is not an absolute path on the host; write it like \`/opt/iskra-openclaw/\`` });
    } else if (isFolder !== mapping.target.endsWith("/")) {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: isFolder
          ? `${quote(mapping.target)} must end in \`/\`: \`local\` names a folder, so the target is a folder`
          : `${quote(mapping.target)} must not end in \`/\`: \`local\` names one file, so the target is that file's path`,
      });
    }
  });

const riskRule = z.strictObject({
  glob: glob.describe("matched against the file's manifest path"),
  risk,
  hard_manual: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, { error: (issue) => `${quote(issue.input)} is not a hard-manual class name; use one defined under [hard_manual]` })
    .optional(),
  description: z.string().min(1).superRefine(refusingUnsafe).optional(),
});

/** `[drift]`: how `patchwarden drift plan` classifies files and what a plan asks of an apply. */
export const driftPolicySchema = z
  .strictObject({
    // Bounded so every plan fits the bundle contract (its texts are at most 2,000 characters).
    executor: planText.describe("the canonical deploy runbook that would carry a plan out"),
    lock: planText.describe("the deploy lock that must be free before an apply"),
    backup_location: planText.describe("where an apply backs up what it overwrites or removes"),
    postchecks: z.array(planText).max(50).default([]),
    default_risk: risk,
    mode_change_risk: risk,
    paths: z.array(pathMapping).min(1),
    risk_rules: z.array(riskRule).default([]),
  });

/** A problem in `[drift]`, its path relative to the section. */
export interface DriftIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * What holds between the entries of `[drift]`: no mapping twice, no risk rule that an earlier one
 * hides. Reads the raw TOML value, so it runs even when the section has other problems; anything
 * malformed is left to the schema, which reports it.
 */
export function driftOrderProblems(drift: unknown): DriftIssue[] {
  if (!isRecord(drift)) return [];
  const issues: DriftIssue[] = [];
  const mapped = new Map<string, number>();
  for (const [i, mapping] of listOf(drift["paths"]).entries()) {
    const local = isRecord(mapping) ? mapping["local"] : undefined;
    if (typeof local !== "string") continue;
    const first = mapped.get(local);
    if (first !== undefined) issues.push({ path: ["paths", i, "local"], message: `${quote(local)} is mapped already by paths[${first}], which wins; remove one` });
    else mapped.set(local, i);
  }
  const rules = listOf(drift["risk_rules"]);
  const firstWith = new Map<string, number>();
  let catchAll: number | null = null;
  for (const [i, rule] of rules.entries()) {
    const text = isRecord(rule) ? rule["glob"] : undefined;
    if (typeof text !== "string" || riskGlobProblem(text) !== null) continue;
    const first = firstWith.get(text);
    if (first !== undefined) issues.push({ path: ["risk_rules", i, "glob"], message: `${quote(text)} is the glob of risk_rules[${first}] already, which wins; remove one` });
    else firstWith.set(text, i);
    if (catchAll !== null || !matchesEverything(text)) continue;
    catchAll = i;
    const hidden = rules.length - 1 - i;
    if (hidden > 0) {
      issues.push({
        path: ["risk_rules", i, "glob"],
        message: `${quote(text)} matches every path, so the ${hidden === 1 ? "rule after it is" : `${hidden} rules after it are`} never reached; move it last, or remove it and set \`default_risk\``,
      });
    }
  }
  return issues;
}

// Paths of every shape a manifest holds: a glob matching all of them, with no negation in it, is a catch-all.
const PROBE_PATHS = ["a", "a/b", ".a", "a/.b/c", "x.service", ".env", "tls/server.key", "systemd/user/openclaw-gateway.service", "deep/er/path/file.tar.gz", "UPPER/Case.TXT", "with space/x y", "9", "-", "a@b/c+d"];

function matchesEverything(text: string): boolean {
  if (text.includes("!")) return false;
  const matches = picomatch(text, GLOB_OPTIONS);
  // A negated class (`**/[^_]*`) matches every probe above but not a name made of what it
  // excludes, so the glob's own characters are probed too: `**/[^/]*` stays a catch-all.
  const own = [...new Set(text.replaceAll("/", ""))].flatMap((char) => [char, `${char}${char}`, `a/${char}`]).filter((path) => manifestPathProblem(path) === null);
  return PROBE_PATHS.every((path) => matches(path)) && own.every((path) => matches(path));
}

export type DriftPolicyDocument = z.output<typeof driftPolicySchema>;
export type DriftRisk = (typeof DRIFT_RISK_LEVELS)[number];
