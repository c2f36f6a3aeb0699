import { formatPath, quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import { describeItem, evidenceRef, reason, type RuleContext } from "../rule-context.js";
import type { EvidenceRef, Reason } from "../verdict-types.js";
import { judgeStep } from "./candidate.js";
import { nameList } from "./data-findings.js";

/**
 * Steps carried in a `supervised-repair-plan` or `remediation-proposal` item (`data.steps`, and
 * `data.rollback`), judged like the candidate's own plan steps: a plan that restarts the gateway is
 * the operator's whether it rides in the candidate, in its evidence, or in the rollback the repair
 * would run. The gate judges a step by its `action` only, so a step may carry nothing else that
 * could say what it does (`command`, `argv`, `script`): anything it cannot judge holds the verdict.
 */
export function inspectPlannedSteps(item: EvidenceItem, index: number, context: RuleContext): Reason[] {
  if (!isRecord(item.data)) return [];
  const site: Site = { item: describeItem(item, index), evidence: evidenceRef(item, index), context };
  const base = `bundle.evidence[${index}].data`;
  const reasons: Reason[] = [];
  if (item.data["steps"] !== undefined) reasons.push(...judgeStepList(item.data["steps"], { path: `${base}.steps`, label: "step ", depth: 1 }, site));
  reasons.push(...judgeRollback(item.data["rollback"], `${base}.rollback`, site));
  return reasons;
}

/** The fields the spec documents for a step; `steps` groups sub-steps, judged the same way. */
const STEP_TEXT_FIELDS = ["description", "target", "expect"] as const;
const STEP_FIELDS: ReadonlySet<string> = new Set(["action", ...STEP_TEXT_FIELDS, "steps"]);
/** A rollback written as an object, like `candidate.plan`: its steps and words about them. */
const ROLLBACK_FIELDS: ReadonlySet<string> = new Set(["steps", "summary", "description"]);
/** Lists of steps nested deeper than this (a step's `steps`' steps' `steps`) are not read: a human reads them. */
export const MAX_STEP_DEPTH = 3;

interface Site {
  /** How messages name the item: `\`supervised-repair-plan\` evidence[3] (\`x\`)`. */
  item: string;
  evidence: EvidenceRef;
  context: RuleContext;
}

interface Where {
  path: string;
  /** How messages name a step of this list, before its number: `step `, `step 0.`, `rollback step `. */
  label: string;
  /** 1 for the item's own list of steps. */
  depth: number;
}

/** Every step the gate cannot judge holds the verdict for a human, as a step outside the class's actions does. */
function hold(message: string, path: string, site: Site): Reason {
  return reason("plan_step_not_allowed", message, { path, evidence: site.evidence });
}

function judgeStepList(steps: unknown, where: Where, site: Site): Reason[] {
  if (!Array.isArray(steps)) {
    return [hold(`${site.item} has \`${fieldOf(where.path)}\` that are not a list of steps (${quote(steps)}); a human must read them, and the producer should write a list of \`{ action }\` steps`, where.path, site)];
  }
  if (where.depth > MAX_STEP_DEPTH) {
    return [hold(`${site.item} nests steps more than ${MAX_STEP_DEPTH} levels deep; the gate does not read them, so a human must, and the producer should flatten them`, where.path, site)];
  }
  return steps.flatMap((step: unknown, i) => judgePlanStep(step, { ...where, path: `${where.path}[${i}]`, label: `${where.label}${i}` }, site));
}

/** One step: `{ action, description?, target?, expect?, steps? }` as the spec writes it, or the action's name alone. */
function judgePlanStep(step: unknown, where: Where, site: Site): Reason[] {
  const name = `${site.item} ${where.label}`;
  if (typeof step === "string") return judgeAction(step, name, where.path, site);
  if (!isRecord(step)) return [hold(`${name} is ${quote(step)}, not a step; a human must read it, and the producer should write it as \`{ action }\``, where.path, site)];
  const reasons = [...unknownFields(step, name, where.path, site), ...untypedFields(step, name, where.path, site)];
  const action = step["action"];
  reasons.push(...(typeof action === "string" ? judgeAction(action, name, `${where.path}.action`, site) : [noAction(name, where.path, site)]));
  if (step["steps"] !== undefined) {
    reasons.push(...judgeStepList(step["steps"], { path: `${where.path}.steps`, label: `${where.label}.`, depth: where.depth + 1 }, site));
  }
  return reasons;
}

function judgeAction(action: string, name: string, path: string, site: Site): Reason[] {
  if (action.length === 0) return [noAction(name, path, site)];
  return judgeStep(action, site.context, { where: name, path, evidence: site.evidence });
}

function noAction(name: string, path: string, site: Site): Reason {
  return hold(`${name} names no action; a human must read it, and the producer should name what it does as its \`action\``, path, site);
}

/** `command`, `argv`, `script`, …: what they would run is not judged, so a step that carries them is not trusted by its `action`. */
function unknownFields(step: Record<string, unknown>, name: string, path: string, site: Site): Reason[] {
  const unknown = Object.keys(step).filter((key) => !STEP_FIELDS.has(key));
  if (unknown.length === 0) return [];
  const first = unknown[0]!;
  return [
    hold(
      `${name} has ${unknown.length === 1 ? "the field" : "the fields"} ${nameList(unknown)}, which the gate does not judge (a step carries only \`action\`, \`description\`, \`target\`, \`expect\` and \`steps\`); what ${unknown.length === 1 ? "it says" : "they say"} the step would do may not be its action, so a human must read it, and the producer should write what the step does as its \`action\``,
      formatPath(path, [first]),
      site,
    ),
  ];
}

/** A documented field of another type than text could carry anything; the gate never reads it as harmless words. */
function untypedFields(step: Record<string, unknown>, name: string, path: string, site: Site): Reason[] {
  return STEP_TEXT_FIELDS.filter((key) => step[key] !== undefined && typeof step[key] !== "string").map((key) =>
    hold(`${name}'s \`${key}\` is ${quote(step[key])}, not a text; the gate cannot tell what it says, so a human must read it, and the producer should write it as text`, `${path}.${key}`, site),
  );
}

/**
 * `rollback`: what the repair would run if it went wrong is a step the repair would do, so a
 * restart there is a restart. A list of steps, or `{ steps, summary?, description? }`; `null` or
 * absent says there is none. Any other shape cannot be judged.
 */
function judgeRollback(rollback: unknown, path: string, site: Site): Reason[] {
  if (rollback === undefined || rollback === null) return [];
  const where = { path, label: "rollback step ", depth: 1 };
  if (Array.isArray(rollback)) return judgeStepList(rollback, where, site);
  if (!isRecord(rollback) || rollback["steps"] === undefined) {
    return [hold(`${site.item} has a \`rollback\` (${quote(rollback)}) that is not a list of steps or an object with \`steps\`; the gate cannot judge what it would do, so a human must read it, and the producer should write its steps as \`{ action }\`, or \`null\` for none`, path, site)];
  }
  const reasons: Reason[] = [];
  const unknown = Object.keys(rollback).filter((key) => !ROLLBACK_FIELDS.has(key) || (key !== "steps" && typeof rollback[key] !== "string"));
  if (unknown.length > 0) {
    reasons.push(
      hold(
        `${site.item}'s \`rollback\` has ${nameList(unknown)}, which the gate does not judge (a rollback is \`{ steps, summary, description }\`, with text beside its steps); a human must read it`,
        formatPath(path, [unknown[0]!]),
        site,
      ),
    );
  }
  reasons.push(...judgeStepList(rollback["steps"], { ...where, path: `${path}.steps` }, site));
  return reasons;
}

/** The last segment of a path, as the field messages name: `steps`. */
function fieldOf(path: string): string {
  const dot = path.lastIndexOf(".");
  return dot === -1 ? path : path.slice(dot + 1);
}
