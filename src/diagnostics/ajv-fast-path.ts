import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { Diagnostic } from "./diagnostic.js";

/**
 * ajv compiled from the JSON Schema zod generates: the fast path that accepts valid documents,
 * zod being the definition that explains refusals. Options make ajv read the schema as zod does:
 * string lengths in code points, patterns as plain (non-unicode) RegExps.
 */
export function compileFastPath(jsonSchema: Record<string, unknown>): ValidateFunction {
  const { $schema: _dialect, ...schema } = jsonSchema;
  const ajv = new Ajv2020({ strict: true, allErrors: false, validateFormats: false, unicodeRegExp: false, logger: false });
  return ajv.compile(schema);
}

/**
 * For the case that should never happen: zod accepted what the fast path refused. The document
 * is refused all the same (fail closed), with ajv's reason at its path.
 */
export function fastPathDiagnostics(validate: ValidateFunction, root: string, document: string): Diagnostic[] {
  const errors = validate.errors ?? [];
  if (errors.length === 0) return [{ path: root, message: `the ${document} was refused by a check its schema does not state; please report this with the ${document}` }];
  return errors.map((error) => ({
    path: `${root}${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".")}`,
    message: `${error.message ?? "is invalid"} by the contract's JSON Schema, though its zod definition accepts it; the ${document} is refused to be safe: please report this with the ${document}`,
  }));
}
