import type { ValidateFunction } from "ajv/dist/2020.js";
import * as z from "zod";
import { compileFastPath, fastPathDiagnostics } from "../diagnostics/ajv-fast-path.js";
import { validateWith, type Validated } from "../diagnostics/zod-diagnostics.js";
import { manifestHostProblem, manifestPathProblem, manifestRootProblem } from "./manifest-path.js";
import { driftPlanSchema, driftPlanShape, planConsistencyIssues, type DriftPlan } from "./plan-schema.js";

let compiled: ValidateFunction | undefined;

/**
 * A drift plan rides in every deploy-drift bundle, and zod took a third of such a bundle's whole
 * evaluation. As for bundles (validate-bundle.ts), ajv compiled from the JSON Schema zod generates
 * is the fast accept path, followed by the checks JSON Schema cannot say: each path is a manifest
 * path, each host and root is plain text, and the plan agrees with itself. Anything refused there goes to zod, whose
 * diagnostics the user sees; should zod accept what the fast path refused, the plan is refused:
 * fail closed. test/drift/validate-plan.test.ts holds the two together.
 */
export function validatePlan(value: unknown, path: string): Validated<DriftPlan> {
  compiled ??= compileFastPath(z.toJSONSchema(driftPlanShape, { target: "draft-2020-12", io: "input", unrepresentable: "throw" }) as Record<string, unknown>);
  if (compiled(value)) {
    const plan = value as DriftPlan;
    if (pathsAreManifestPaths(plan) && sidesArePlain(plan) && planConsistencyIssues(plan).length === 0) return { ok: true, value: plan };
  }
  const explained = validateWith(driftPlanSchema, value, path);
  if (!explained.ok) return explained;
  return { ok: false, diagnostics: fastPathDiagnostics(compiled, value, path, "plan") };
}

function pathsAreManifestPaths(plan: DriftPlan): boolean {
  return plan.files.every((file) => manifestPathProblem(file.path) === null) && plan.prechecks.backup.files.every((file) => manifestPathProblem(file.path) === null);
}

function sidesArePlain({ local, remote }: DriftPlan): boolean {
  return manifestHostProblem(local.host) === null && manifestRootProblem(local.root) === null && manifestHostProblem(remote.host) === null && manifestRootProblem(remote.root) === null;
}
