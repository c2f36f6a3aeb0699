import picomatch from "picomatch/posix.js";
import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import type { RiskLevel } from "../policy/policy-schema.js";
import { manifestPathProblem } from "./manifest-path.js";

const MAX_DRIFT_TEXT = 500;

// Repeated here rather than imported: policy-schema.ts imports this file, and a value import
// back would be a cycle. The type check below keeps the two lists the same.
export const DRIFT_RISK_LEVELS = ["low", "medium", "high"] as const satisfies readonly RiskLevel[];
// Fails to compile should the policy gain a risk level this list lacks.
const everyRiskLevelListed: RiskLevel extends DriftRisk ? true : never = true;
void everyRiskLevelListed;

const risk = z.enum(DRIFT_RISK_LEVELS);

/** Globs are matched against manifest paths with these options everywhere (policy and --ignore). */
export const GLOB_OPTIONS = { dot: true } as const;

export function globProblem(glob: string): string | null {
  if (glob.startsWith("/")) return `${quote(glob)} starts with \`/\`; globs match paths relative to the manifest's root, like \`**/*.service\``;
  try {
    picomatch.makeRe(glob, GLOB_OPTIONS);
    return null;
  } catch (error) {
    return `${quote(glob)} is not a glob (${error instanceof Error ? error.message : String(error)}); write it like \`**/*.service\` or \`docs/**\``;
  }
}

const glob = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = globProblem(text);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

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
    if (!mapping.target.startsWith("/") || mapping.target.split("/").some((segment) => segment === ".." || segment === ".")) {
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
  description: z.string().min(1).optional(),
});

/** `[drift]`: how `patchwarden drift plan` classifies files and what a plan asks of an apply. */
export const driftPolicySchema = z
  .strictObject({
    // Bounded so every plan fits the bundle contract (its texts are at most 2,000 characters).
    executor: z.string().min(1).max(MAX_DRIFT_TEXT).describe("the canonical deploy runbook that would carry a plan out"),
    lock: z.string().min(1).max(MAX_DRIFT_TEXT).describe("the deploy lock that must be free before an apply"),
    backup_location: z.string().min(1).max(MAX_DRIFT_TEXT).describe("where an apply backs up what it overwrites or removes"),
    postchecks: z.array(z.string().min(1).max(MAX_DRIFT_TEXT)).max(50).default([]),
    default_risk: risk,
    mode_change_risk: risk,
    paths: z.array(pathMapping).min(1),
    risk_rules: z.array(riskRule).default([]),
  })
  .superRefine((drift, ctx) => {
    const seen = new Map<string, number>();
    drift.paths.forEach((mapping, i) => {
      const first = seen.get(mapping.local);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["paths", i, "local"], message: `${quote(mapping.local)} is mapped already by paths[${first}], which wins; remove one` });
      else seen.set(mapping.local, i);
    });
  });

export type DriftPolicyDocument = z.output<typeof driftPolicySchema>;
export type DriftRisk = (typeof DRIFT_RISK_LEVELS)[number];
