import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { validateWith, type Validated } from "../diagnostics/zod-diagnostics.js";
import { bundleJsonSchema } from "./bundle-json-schema.js";
import { evidenceBundleSchema, type EvidenceBundle } from "./bundle-schema.js";

let compiled: ValidateFunction | undefined;

/**
 * The bundle contract is defined once, in zod. Its generated JSON Schema is compiled by ajv into
 * the fast path that accepts valid bundles (a quarter of zod's cost; every webhook and hourly run
 * pays it). Anything ajv rejects is validated again by zod, whose diagnostics the user sees.
 * Options make ajv read the schema as zod does: string lengths in code points (a surrogate pair is
 * one, a lone surrogate one), patterns as plain (non-unicode) RegExps. Should the two ever
 * disagree, the bundle is refused: fail closed. test/evidence/validate-bundle.test.ts holds them together.
 */
export function validateBundle(value: unknown): Validated<EvidenceBundle> {
  compiled ??= compile();
  if (compiled(value)) return { ok: true, value: value as EvidenceBundle };
  const explained = validateWith(evidenceBundleSchema, value, "bundle");
  if (!explained.ok) return explained;
  return { ok: false, diagnostics: ajvDiagnostics(compiled) };
}

function compile(): ValidateFunction {
  const schema = bundleJsonSchema();
  delete schema["$schema"];
  const ajv = new Ajv2020({ strict: true, allErrors: false, validateFormats: false, unicodeRegExp: false, logger: false });
  return ajv.compile(schema);
}

function ajvDiagnostics(validate: ValidateFunction): Diagnostic[] {
  return (validate.errors ?? []).map((error) => ({
    path: `bundle${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".")}`,
    message: `${error.message ?? "is invalid"}; the bundle breaks the contract's JSON Schema`,
  }));
}
