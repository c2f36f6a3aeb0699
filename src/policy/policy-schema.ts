import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { evidenceKind } from "../evidence/bundle-schema.js";
import { EVIDENCE_KINDS } from "../evidence/kinds.js";
import { TomlDate } from "smol-toml";
import { looksLikeDuration, parseDuration } from "../time/duration.js";
import { driftPolicySchema } from "../drift/drift-policy-schema.js";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../markdown/unsafe-characters.js";
import { describeLimit, MAX_AGE_LIMIT_SECONDS, SKEW_TOLERANCE_LIMIT_SECONDS } from "./duration-limits.js";

export const POLICY_SCHEMA_ID = "patchwarden.policy.v0";


/** Shown in every verdict and comment, so plain text: a line break or a bidirectional control would forge lines or disguise it. */
const policyName = z
  .string()
  .min(1)
  .max(200)
  .superRefine((name, ctx) => {
    if (UNSAFE_CHARACTER.test(name)) ctx.addIssue({ code: "custom", message: `${quote(writeOutUnsafe(name))} holds a control character, line break or bidirectional control; name the policy in plain text, like \`iskra-openclaw\`` });
  });

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

const identifier = z
  .string()
  .regex(IDENTIFIER, { error: (issue) => `${quote(issue.input)} is not an identifier; use lowercase letters, digits and \`_\`` });

export const actionName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/, {
    error: (issue) => `${quote(issue.input)} is not an action name; write dotted lowercase words like \`service.restart\``,
  });

/** A duration no longer than `limit` seconds; `what` and `why` explain the limit in the message. */
function duration(limit: number, what: string, why: string) {
  return z
    .string({
      // TOML reads an unquoted `00:30:00` as a time of day, which is no duration.
      error: (issue) => (isTomlDate(issue.input) ? `a TOML time (${quote(issue.input.toISOString())}) is not a duration; write the duration in quotes, like \`"30m"\`` : undefined),
    })
    .superRefine((text, ctx) => {
      const seconds = parseDuration(text);
      // Digits past what a number holds are still a duration, and far over any limit.
      if (seconds !== null ? seconds > limit : looksLikeDuration(text) && /[1-9]/.test(text)) {
        ctx.addIssue({ code: "custom", message: `${quote(text)} is over the ${describeLimit(limit)} limit for ${what} (${why}); give at most ${describeLimit(limit)}` });
      } else if (seconds === null) {
        ctx.addIssue({ code: "custom", message: `${quote(text)} is not a duration; write it like \`90s\`, \`15m\`, \`1h30m\` or \`7d\`` });
      }
    });
}

const isTomlDate = (value: unknown): value is TomlDate => value instanceof TomlDate;

const evidenceRule = z.strictObject({
  max_age: duration(MAX_AGE_LIMIT_SECONDS, "a maximum age", "evidence that old says nothing about now"),
  description: z.string().optional(),
});

const evidenceSection = z.strictObject(
  Object.fromEntries(EVIDENCE_KINDS.map((kind) => [kind, evidenceRule])) as Record<(typeof EVIDENCE_KINDS)[number], typeof evidenceRule>,
);

const hardManualClass = z.strictObject({
  description: z.string().min(1),
  actions: z.array(actionName).min(1),
});

const repairClass = z.strictObject({
  description: z.string().min(1),
  mutation: z.boolean(),
  risk: z.enum(RISK_LEVELS),
  requires: z.array(evidenceKind).min(1),
  hard_manual: z.array(identifier).default([]),
  allowed_actions: z.array(actionName).default([]),
  executor: z.string().min(1),
  postchecks: z.array(z.string().min(1)).default([]),
});

/**
 * A table of named classes. A name that is not an identifier (`Gateway`, `__proto__`) is reported
 * here with its own message rather than zod's "Invalid key in record"; zod's record would also drop
 * a `__proto__` key without a word. Reported as an unrecognized key, the one kind of issue after
 * which zod still validates the rest of the table, so every other problem is reported too.
 */
function namedTable<T extends z.ZodType>(entry: T) {
  return z.preprocess((input, ctx) => {
    if (input !== null && typeof input === "object" && !Array.isArray(input)) {
      for (const key of Object.keys(input)) {
        if (!IDENTIFIER.test(key)) ctx.addIssue({ code: "unrecognized_keys", keys: [key], input: input as Record<string, unknown>, message: classNameProblem(key) });
      }
    }
    return input;
  }, z.record(z.string(), entry));
}

function classNameProblem(key: string): string {
  const lower = key.toLowerCase();
  const hint = IDENTIFIER.test(lower) ? `, like \`${lower}\`` : "";
  return `${quote(key)} cannot name a class (it is not an identifier); rename the table with lowercase letters, digits and \`_\`${hint}`;
}

/**
 * The shape of each section. What holds between sections (required classes, cross-references,
 * unreachable drift rules) is checked by cross-checks.ts, which runs even when this fails.
 */
export const policyDocumentSchema = z.strictObject({
  schema: z.literal(POLICY_SCHEMA_ID),
  name: policyName,
  description: z.string().optional(),
  clock: z.strictObject({ skew_tolerance: duration(SKEW_TOLERANCE_LIMIT_SECONDS, "the clock-skew tolerance", "more would let future-dated evidence through; fix the producer's clock instead") }),
  evidence: evidenceSection,
  hard_manual: namedTable(hardManualClass),
  repair_classes: namedTable(repairClass),
  drift: driftPolicySchema.optional().describe("the deploy-drift lane (`patchwarden drift plan`); see docs/operations/deploy-drift-lane.md"),
});

export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export type RepairClassDocument = PolicyDocument["repair_classes"][string];
