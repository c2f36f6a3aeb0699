import { parse as parseToml, TomlError } from "smol-toml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { sha256Digest } from "../integrity/digest.js";
import { crossCheckPolicy } from "./cross-checks.js";
import { compilePolicy, type Policy } from "./policy.js";
import { policyDocumentSchema } from "./policy-schema.js";
import { explainRedefinition } from "./toml-redefinition.js";

export type ParsedPolicy = { ok: true; policy: Policy } | { ok: false; diagnostics: Diagnostic[] };

/** The most a policy file may hold; `readPolicy` reads no more than this of one. */
export const MAX_POLICY_BYTES = 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** TOML bytes → a compiled policy, or every problem at once. Pure: the caller reads the file. */
export function parsePolicy(bytes: Uint8Array): ParsedPolicy {
  if (bytes.byteLength > MAX_POLICY_BYTES) {
    return { ok: false, diagnostics: [{ path: "policy", message: `the file is ${bytes.byteLength} bytes, over the 1 MiB limit for a policy` }] };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, diagnostics: [{ path: "policy", message: "the file is not valid UTF-8; save it as UTF-8 text" }] };
  }
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    const redefined = error instanceof TomlError && error.message.includes("redefine") ? explainRedefinition(text, error.line, error.column) : null;
    if (redefined !== null) return { ok: false, diagnostics: [redefined] };
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : "";
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    return { ok: false, diagnostics: [{ path: "policy", message: `malformed TOML${where}: ${lowerFirst(message)}; fix the syntax` }] };
  }
  // Both passes always run: every problem at once, whichever pass finds it.
  const validated = validateWith(policyDocumentSchema, raw, "policy");
  const crossChecked = crossCheckPolicy(raw);
  if (!validated.ok || crossChecked.length > 0) return { ok: false, diagnostics: [...(validated.ok ? [] : validated.diagnostics), ...crossChecked] };
  return { ok: true, policy: compilePolicy(validated.value, sha256Digest(bytes)) };
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
