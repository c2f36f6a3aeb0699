import * as z from "zod";
import { formatPath, quote, type Diagnostic } from "./diagnostic.js";
import { didYouMean } from "./suggest.js";

export type Validated<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

// Unknown keys arrive as one issue per object; we split them so each gets its own line and suggestion.
const KEY_SEPARATOR = "\u0000";

/**
 * Validates with zod and turns every issue into a path-first diagnostic. All issues are reported
 * at once: a policy author fixes a file in one pass, not one error per run.
 */
export function validateWith<S extends z.ZodType>(schema: S, value: unknown, root: string): Validated<z.output<S>> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return { ok: true, value: result.data };
  const diagnostics: Diagnostic[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      const messages = issue.message.split(KEY_SEPARATOR);
      issue.keys.forEach((key, i) => {
        diagnostics.push({ path: formatPath(root, [...issue.path, key]), message: messages[i] ?? `unknown key ${quote(key)}` });
      });
    } else {
      diagnostics.push({ path: formatPath(root, issue.path), message: issue.message });
    }
  }
  return { ok: false, diagnostics };
}

type RawIssue = z.core.$ZodRawIssue;

function describeIssue(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "missing; add it";
      return `expected ${article(String(issue.expected))}, got ${describeInput(issue.input)}`;
    case "unrecognized_keys": {
      const known = objectKeysOf(issue.inst);
      return issue.keys
        .map((key) => {
          const hint = didYouMean(key, known);
          return `unknown key ${quote(key)}${hint || "; remove it or check its spelling"}`;
        })
        .join(KEY_SEPARATOR);
    }
    case "invalid_value": {
      // An enum or literal left out is missing like any other key, not the "unknown value" nothing.
      if (issue.input === undefined) return "missing; add it";
      const values = issue.values.map((v) => String(v));
      const hint = didYouMean(issue.input, values);
      if (values.length === 1) return `expected ${quote(values[0])}, got ${describeInput(issue.input)}`;
      return `unknown value ${quote(issue.input)}${hint || `; expected one of ${values.map((v) => quote(v)).join(", ")}`}`;
    }
    case "invalid_format":
      if (issue.format === "datetime") {
        return `${describeInput(issue.input)} is not an ISO-8601 time with seconds and an explicit offset; write it like \`2026-11-21T04:44:47Z\` or \`2026-11-21T05:44:47+01:00\``;
      }
      // zod reports a pattern mismatch as the format "regex": the value is wrong, not a regex.
      if (issue.format === "regex" && "pattern" in issue && typeof issue.pattern === "string") {
        return `${describeInput(issue.input)} does not have the required form; it must match ${quote(issue.pattern)}`;
      }
      return `${describeInput(issue.input)} is not a valid ${issue.format}`;
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "must not be empty" : `is shorter than ${String(issue.minimum)} characters`;
      if (issue.origin === "array") return `needs at least ${String(issue.minimum)} item(s)`;
      // `.positive()` is an exclusive minimum of 0: "at least 0, got `0`" would contradict itself.
      return `must be ${issue.inclusive === false ? "more than" : "at least"} ${String(issue.minimum)}, got ${describeInput(issue.input)}`;
    case "too_big":
      if (issue.origin === "string") return `is longer than ${String(issue.maximum)} characters`;
      if (issue.origin === "array") return `has more than ${String(issue.maximum)} items`;
      return `must be ${issue.inclusive === false ? "less than" : "at most"} ${String(issue.maximum)}, got ${describeInput(issue.input)}`;
    case "invalid_union":
      return `${describeInput(issue.input)} matches none of the accepted shapes`;
    default:
      return undefined;
  }
}

function objectKeysOf(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

function describeInput(input: unknown): string {
  if (Array.isArray(input)) return "a list";
  if (input !== null && typeof input === "object") return "an object";
  if (typeof input === "string") return `the text ${quote(input)}`;
  return quote(input);
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}
