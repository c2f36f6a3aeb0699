import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { evidenceKind } from "../evidence/bundle-schema.js";
import { EVIDENCE_KINDS } from "../evidence/kinds.js";
import { parseDuration } from "../time/duration.js";
import { driftPolicySchema } from "../drift/drift-policy-schema.js";

export const POLICY_SCHEMA_ID = "patchwarden.policy.v0";

/**
 * The hard-manual classes are the operator's by the product boundary, not by policy taste:
 * a policy may add classes but may not drop these.
 */
export const REQUIRED_HARD_MANUAL = ["service_restart", "deploy_apply_sync", "auth_network_change", "destructive", "runtime_upgrade"] as const;

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: (issue) => `${quote(issue.input)} is not an identifier; use lowercase letters, digits and \`_\`` });

export const actionName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/, {
    error: (issue) => `${quote(issue.input)} is not an action name; write dotted lowercase words like \`service.restart\``,
  });

const duration = z.string().refine((text) => parseDuration(text) !== null, {
  error: (issue) => `${quote(issue.input)} is not a duration; write it like \`90s\`, \`15m\`, \`1h30m\` or \`7d\``,
});

const evidenceRule = z.strictObject({
  max_age: duration,
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
 * A table of named classes. zod's record drops a `__proto__` key without a word (no plain object
 * can hold it as a property), so `[repair_classes.__proto__]` would vanish from the policy:
 * refuse it instead. Reported as an unrecognized key, the one kind of issue after which zod still
 * validates the rest of the table, so every other problem is reported too.
 */
function namedTable<T extends z.ZodType>(entry: T) {
  return z.preprocess((input, ctx) => {
    if (input !== null && typeof input === "object" && Object.hasOwn(input, "__proto__")) {
      ctx.addIssue({ code: "unrecognized_keys", keys: ["__proto__"], input: input as Record<string, unknown>, message: "`__proto__` cannot name a class (it is not an identifier); rename the table with lowercase letters, digits and `_`" });
    }
    return input;
  }, z.record(identifier, entry));
}

export const policyDocumentSchema = z
  .strictObject({
    schema: z.literal(POLICY_SCHEMA_ID),
    name: z.string().min(1),
    description: z.string().optional(),
    clock: z.strictObject({ skew_tolerance: duration }),
    evidence: evidenceSection,
    hard_manual: namedTable(hardManualClass),
    repair_classes: namedTable(repairClass),
    drift: driftPolicySchema.optional().describe("the deploy-drift lane (`patchwarden drift plan`); see docs/operations/deploy-drift-lane.md"),
  })
  // Class names come from the policy file: Object.hasOwn, never `in`, so `constructor` is no class.
  .superRefine((policy, ctx) => {
    for (const name of REQUIRED_HARD_MANUAL) {
      if (!Object.hasOwn(policy.hard_manual, name)) {
        ctx.addIssue({ code: "custom", path: ["hard_manual"], message: `missing hard-manual class \`${name}\`; the operator owns it by the product boundary, so every policy must name its actions` });
      }
    }
    if (Object.keys(policy.repair_classes).length === 0) {
      ctx.addIssue({ code: "custom", path: ["repair_classes"], message: "no repair classes; define at least one, or every candidate is blocked as unknown" });
    }
    const ownerOfAction = new Map<string, string>();
    for (const [name, cls] of Object.entries(policy.hard_manual)) {
      for (const action of cls.actions) ownerOfAction.set(action, name);
    }
    for (const [className, cls] of Object.entries(policy.repair_classes)) {
      cls.hard_manual.forEach((ref, i) => {
        if (!Object.hasOwn(policy.hard_manual, ref)) {
          ctx.addIssue({ code: "custom", path: ["repair_classes", className, "hard_manual", i], message: `unknown hard-manual class ${quote(ref)}; define it under [hard_manual.${ref}] or remove it` });
        }
      });
      if (cls.hard_manual.length > 0 && !cls.mutation) {
        ctx.addIssue({ code: "custom", path: ["repair_classes", className, "mutation"], message: "a class touching hard-manual actions mutates the runtime; set `mutation = true`" });
      }
      cls.allowed_actions.forEach((action, i) => {
        const owner = ownerOfAction.get(action);
        if (owner !== undefined) {
          ctx.addIssue({ code: "custom", path: ["repair_classes", className, "allowed_actions", i], message: `${quote(action)} is a hard-manual action of \`${owner}\`; it cannot be allowed for a dry run, list the class in \`hard_manual\` instead` });
        }
      });
      const seen = new Set<string>();
      cls.requires.forEach((kind, i) => {
        if (seen.has(kind)) ctx.addIssue({ code: "custom", path: ["repair_classes", className, "requires", i], message: `evidence kind ${quote(kind)} is listed twice; remove the repeat` });
        seen.add(kind);
      });
    }
    policy.drift?.risk_rules.forEach((rule, i) => {
      if (rule.hard_manual !== undefined && !Object.hasOwn(policy.hard_manual, rule.hard_manual)) {
        ctx.addIssue({ code: "custom", path: ["drift", "risk_rules", i, "hard_manual"], message: `unknown hard-manual class ${quote(rule.hard_manual)}; define it under [hard_manual.${rule.hard_manual}] or remove it` });
      }
    });
  });

export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export type RepairClassDocument = PolicyDocument["repair_classes"][string];
