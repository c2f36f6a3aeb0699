import type { ValidateFunction } from "ajv/dist/2020.js";
import { compileFastPath, fastPathDiagnostics } from "../diagnostics/ajv-fast-path.js";
import { validateWith, type Validated } from "../diagnostics/zod-diagnostics.js";
import { bundleJsonSchema } from "./bundle-json-schema.js";
import { evidenceBundleSchema, type EvidenceBundle } from "./bundle-schema.js";

let compiled: ValidateFunction | undefined;

/**
 * The bundle contract is defined once, in zod. Its generated JSON Schema is compiled by ajv into
 * the fast path that accepts valid bundles (a quarter of zod's cost; every webhook and hourly run
 * pays it). Anything ajv rejects is validated again by zod, whose diagnostics the user sees.
 * Should the two ever disagree, the bundle is refused: fail closed.
 * test/evidence/validate-bundle.test.ts holds them together.
 */
export function validateBundle(value: unknown): Validated<EvidenceBundle> {
  compiled ??= compileFastPath(bundleJsonSchema());
  if (compiled(value)) return { ok: true, value: value as EvidenceBundle };
  const explained = validateWith(evidenceBundleSchema, value, "bundle");
  if (!explained.ok) return explained;
  return { ok: false, diagnostics: fastPathDiagnostics(compiled, value, "bundle", "bundle") };
}
