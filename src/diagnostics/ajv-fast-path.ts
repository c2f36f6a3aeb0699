import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { formatPath, type Diagnostic } from "./diagnostic.js";

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
 * is refused all the same (fail closed), with ajv's reason at its path in `value`.
 */
export function fastPathDiagnostics(validate: ValidateFunction, value: unknown, root: string, document: string): Diagnostic[] {
  const errors = validate.errors ?? [];
  if (errors.length === 0) return [{ path: root, message: `the ${document} was refused by a check its schema does not state; please report this with the ${document}` }];
  return errors.map((error) => ({
    path: formatPath(root, pathSegments(value, error.instancePath)),
    message: `${error.message ?? "is invalid"} by the contract's JSON Schema, though its zod definition accepts it; the ${document} is refused to be safe: please report this with the ${document}`,
  }));
}

/** A JSON Pointer into `value` as path segments: `~1` and `~0` decoded, a number only where the value there is a list. */
function pathSegments(value: unknown, pointer: string): Array<string | number> {
  const segments: Array<string | number> = [];
  let at = value;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const index = Array.isArray(at) && /^\d+$/.test(key) ? Number(key) : null;
    segments.push(index ?? key);
    at = index !== null ? (at as unknown[])[index] : at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}
