import { formatPath, quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { isRecord, listOf } from "../document/is-record.js";
import { driftOrderProblems } from "../drift/drift-policy-schema.js";
import { IDENTIFIER } from "./policy-schema.js";
import { REQUIRED_HARD_MANUAL_ACTIONS } from "./required-hard-manual.js";

type Path = Array<string | number>;

/**
 * What must hold between sections of a policy: the required hard-manual classes and their actions,
 * references to hard-manual classes, hard-manual actions kept out of dry runs, and the order of the
 * drift rules. A pass of its own over the raw TOML value, not a zod refinement: zod skips those as
 * soon as any field fails, and one typo must not hide a dropped hard-manual class. So it reads
 * partly invalid input, and checks only what is well-formed; the schema reports the rest.
 *
 * Class names come from the policy file: Object.hasOwn, never `in`, so `constructor` is no class.
 */
export function crossCheckPolicy(raw: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (path: Path, message: string) => out.push({ path: formatPath("policy", path), message });
  if (!isRecord(raw)) return out;
  const hardManual = isRecord(raw["hard_manual"]) ? raw["hard_manual"] : null;
  const knows = (name: string) => hardManual === null || Object.hasOwn(hardManual, name);

  // Seeded with the boundary's own actions, so one moved out of its class is still kept from dry runs.
  const ownerOfAction = new Map<string, string>();
  for (const [name, actions] of Object.entries(REQUIRED_HARD_MANUAL_ACTIONS)) for (const action of actions) ownerOfAction.set(action, name);
  if (hardManual !== null) {
    for (const [name, core] of Object.entries(REQUIRED_HARD_MANUAL_ACTIONS)) {
      if (!Object.hasOwn(hardManual, name)) {
        add(["hard_manual"], `missing hard-manual class \`${name}\`; the operator owns it by the product boundary, so every policy must name its actions`);
        continue;
      }
      const actions = actionsOf(hardManual[name]);
      if (actions === null) continue;
      const missing = core.filter((action) => !actions.includes(action));
      if (missing.length > 0) {
        add(["hard_manual", name, "actions"], `missing ${missing.map((action) => `\`${action}\``).join(", ")}; the operator owns ${missing.length === 1 ? "it" : "them"} by the product boundary, so add ${missing.length === 1 ? "it" : "them"} back (a policy may add actions, never drop these)`);
      }
    }
    for (const [name, cls] of Object.entries(hardManual)) {
      if (IDENTIFIER.test(name)) for (const action of actionsOf(cls) ?? []) ownerOfAction.set(action, name);
    }
  }

  const repairClasses = isRecord(raw["repair_classes"]) ? raw["repair_classes"] : null;
  if (repairClasses !== null && Object.keys(repairClasses).length === 0) {
    add(["repair_classes"], "no repair classes; define at least one, or every candidate is blocked as unknown");
  }
  for (const [className, cls] of Object.entries(repairClasses ?? {})) {
    if (!IDENTIFIER.test(className) || !isRecord(cls)) continue;
    const refs = listOf(cls["hard_manual"]);
    refs.forEach((ref, i) => {
      if (typeof ref === "string" && IDENTIFIER.test(ref) && !knows(ref)) {
        add(["repair_classes", className, "hard_manual", i], `unknown hard-manual class ${quote(ref)}; define it under [hard_manual.${ref}] or remove it`);
      }
    });
    // A class named after a hard-manual class reads as that operation: a candidate asking for
    // `service_restart` must land on the operator, not on a read-only class of the same name.
    const namesHardManual = Object.hasOwn(REQUIRED_HARD_MANUAL_ACTIONS, className) || (hardManual !== null && Object.hasOwn(hardManual, className));
    if (namesHardManual && !refs.includes(className)) {
      add(["repair_classes", className], `\`${className}\` is a hard-manual class; a repair class of that name must list it (\`hard_manual = ["${className}"]\`, with \`mutation = true\`), or take another name`);
    }
    if (refs.length > 0 && cls["mutation"] === false) {
      add(["repair_classes", className, "mutation"], "a class touching hard-manual actions mutates the runtime; set `mutation = true`");
    }
    listOf(cls["allowed_actions"]).forEach((action, i) => {
      const owner = typeof action === "string" ? ownerOfAction.get(action) : undefined;
      if (owner !== undefined) {
        add(["repair_classes", className, "allowed_actions", i], `${quote(action)} is a hard-manual action of \`${owner}\`; it cannot be allowed for a dry run, list the class in \`hard_manual\` instead`);
      }
    });
    const seen = new Set<unknown>();
    listOf(cls["requires"]).forEach((kind, i) => {
      if (typeof kind === "string" && seen.has(kind)) add(["repair_classes", className, "requires", i], `evidence kind ${quote(kind)} is listed twice; remove the repeat`);
      seen.add(kind);
    });
  }

  const drift = raw["drift"];
  for (const issue of driftOrderProblems(drift)) add(["drift", ...issue.path], issue.message);
  if (isRecord(drift)) {
    listOf(drift["risk_rules"]).forEach((rule, i) => {
      const ref = isRecord(rule) ? rule["hard_manual"] : undefined;
      if (typeof ref === "string" && IDENTIFIER.test(ref) && !knows(ref)) {
        add(["drift", "risk_rules", i, "hard_manual"], `unknown hard-manual class ${quote(ref)}; define it under [hard_manual.${ref}] or remove it`);
      }
    });
  }
  return out;
}

/** A hard-manual class's action names, or null when the class or its list is malformed (the schema says so). */
function actionsOf(cls: unknown): string[] | null {
  if (!isRecord(cls) || !Array.isArray(cls["actions"])) return null;
  return cls["actions"].filter((action): action is string => typeof action === "string");
}

