import { createRequire } from "node:module";
import { quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { decodeText } from "./decode-text.js";
import { composeYaml } from "./compose-yaml.js";
import { checkJsonStructure } from "./json-structure.js";
import { checkPlainValue } from "./plain-value.js";
import { yamlFlowDepthExceeds } from "./yaml-depth.js";
import { describeYamlAliasError, describeYamlError } from "./yaml-error-message.js";
import { findYamlKeyProblem } from "./yaml-keys.js";
import { UNSAFE_RUNS } from "../markdown/unsafe-characters.js";

// The YAML parser is loaded on the first YAML document: most reads are JSON (manifests, webhook
// payloads, most bundles), and loading it costs a command about 30 ms of start-up.
const require = createRequire(import.meta.url);
let yaml: typeof import("yaml") | undefined;
const loadYaml = (): typeof import("yaml") => (yaml ??= require("yaml") as typeof import("yaml"));

export type DocumentFormat = "json" | "yaml";

export type ParsedDocument =
  | { ok: true; value: unknown; format: DocumentFormat }
  | { ok: false; problem: DocumentProblem; diagnostics: Diagnostic[] };

/** Why a document could not be read; each maps to a stable reason code in the verdict. */
export type DocumentProblem = "too_large" | "not_utf8" | "malformed";

export interface ParseOptions {
  /** Used in messages: `bundle`, `bundle.evidence[2].artifact`. */
  root: string;
  /** The file name decides the format when it ends in .json, .yaml or .yml; otherwise the text does. */
  name?: string;
  maxBytes: number;
}

// An alias bomb expands a few lines of YAML into gigabytes; real evidence never needs many aliases.
// This many aliases of one anchor, each counted by the aliases inside what it stands for.
const MAX_YAML_ALIASES = 50;
// The yaml library counts the anchored node as one use besides its aliases.
const YAML_ANCHOR_USES = MAX_YAML_ALIASES + 1;
/** Real evidence nests a handful of levels; every later walk over a document relies on this bound. */
export const MAX_DOCUMENT_DEPTH = 64;
const TOO_DEEP = `nests deeper than ${MAX_DOCUMENT_DEPTH} levels; flatten the data (real evidence never needs this)`;
/**
 * YAML deeper than this is refused before the yaml library composes it, far below the 800 or so
 * levels at which its recursion exhausts the stack. Looser than MAX_DOCUMENT_DEPTH so that data a
 * little too deep is still refused with its path, after problems (a tag, say) the composer names.
 */
const MAX_COMPOSED_YAML_DEPTH = 4 * MAX_DOCUMENT_DEPTH;
/**
 * The yaml library holds hundreds of bytes of memory per character of dense YAML (8 MiB of `- `
 * took 2 GB of heap and 20 s), and a bundle is parsed more than once per delivery; JSON has no such
 * cost, so it keeps the full bundle limit and YAML gets this one.
 */
export const MAX_YAML_BYTES = 1024 * 1024;
// YAML forbids NUL outright and JSON outside escapes; in practice it means UTF-16 without a BOM,
// which is ASCII with a NUL after (or before) every character, so say that rather than "malformed".
const HOLDS_NUL = "the document holds NUL bytes (UTF-16?); save it as UTF-8";

/** bytes → a plain value. Pure: no file or network access, the caller brings the bytes. */
export function parseDocument(bytes: Uint8Array, options: ParseOptions): ParsedDocument {
  const { root } = options;
  if (bytes.byteLength > options.maxBytes) {
    return fail("too_large", root, `the document is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(options.maxBytes)} limit; keep large artifacts outside the bundle and reference them by sha256`);
  }
  const text = decodeText(bytes);
  if (text === null) return fail("not_utf8", root, "the document is not valid UTF-8; save it as UTF-8 text");
  const format = detectFormat(options.name, text);
  if (format === "json") return parseJson(bytes, text, root);
  if (bytes.byteLength > MAX_YAML_BYTES) {
    return fail("too_large", root, `the YAML document is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(MAX_YAML_BYTES)} limit for YAML; write it as JSON (up to ${formatBytes(options.maxBytes)}), or keep large artifacts outside the bundle and reference them by sha256`);
  }
  return parseYaml(text, root);
}

function parseJson(bytes: Uint8Array, text: string, root: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Looked for only once JSON.parse has refused the text: it refuses every raw NUL.
    if (text.includes("\0")) return fail("not_utf8", root, HOLDS_NUL);
    return fail("malformed", root, `malformed JSON: ${describeJsonError(error, text)}; fix the syntax (a JSON linter shows the spot)`);
  }
  const problem = checkJsonStructure(bytes, text, value, root, MAX_DOCUMENT_DEPTH);
  if (problem?.kind === "duplicate_key") {
    return fail("malformed", problem.path, "this key appears twice in one object; parsers disagree on which value wins, so remove one");
  }
  if (problem?.kind === "too_deep") return fail("malformed", problem.path, TOO_DEEP);
  if (problem?.kind === "not_plain") return fail("malformed", problem.path, problem.message);
  return { ok: true, value, format: "json" };
}

function parseYaml(text: string, root: string): ParsedDocument {
  // The yaml library would read a NUL as part of a scalar. One memchr-like scan, YAML only.
  if (text.includes("\0")) return fail("not_utf8", root, HOLDS_NUL);
  if (yamlFlowDepthExceeds(text, MAX_DOCUMENT_DEPTH)) return fail("malformed", root, TOO_DEEP);
  const library = loadYaml();
  const options = {
    version: "1.2",
    schema: "core",
    merge: false,
    uniqueKeys: true,
    strict: true,
    // The YAML 1.1 tags (!!omap, !!set, !!binary, !!timestamp…) would make Maps, Sets, byte arrays
    // and Dates, which no schema or claim walk sees into; unresolved, they are errors.
    resolveKnownTags: false,
  } as const;
  const document = composeYaml(library, text, options, MAX_COMPOSED_YAML_DEPTH);
  if (document === null) return fail("malformed", root, TOO_DEEP);
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      problem: "malformed",
      diagnostics: problems.map((problem) => ({ path: root, message: `malformed YAML: ${describeYamlError(problem)}` })),
    };
  }
  const keyProblem = findYamlKeyProblem(library, document, text, root);
  if (keyProblem !== null) return { ok: false, problem: "malformed", diagnostics: [keyProblem] };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: YAML_ANCHOR_USES });
  } catch (error) {
    return fail("malformed", root, `malformed YAML: ${describeYamlAliasError(error instanceof Error ? error.message : String(error))}`);
  }
  const problem = checkPlainValue(value, root, MAX_DOCUMENT_DEPTH);
  if (problem?.kind === "too_deep") return fail("malformed", problem.path, TOO_DEEP);
  if (problem?.kind === "not_plain") return fail("malformed", problem.path, problem.message);
  return { ok: true, value, format: "yaml" };
}

function detectFormat(name: string | undefined, text: string): DocumentFormat {
  if (name !== undefined) {
    if (/\.json$/i.test(name)) return "json";
    if (/\.ya?ml$/i.test(name)) return "yaml";
  }
  const first = text.trimStart()[0];
  return first === "{" || first === "[" ? "json" : "yaml";
}

function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = / in JSON at position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    return `${lowerFirst(message.slice(0, position.index))} at line ${line}, column ${column}`;
  }
  // V8 sometimes names the token and echoes raw input around it instead of a position. The token
  // may be U+2028 or U+2029, which `.` without the `s` flag would not match.
  const token = /^Unexpected token '(.+?)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (token) return `unexpected ${quote(token[1])} near ${quote(token[2]!.trim(), 40)}`;
  // Any other message echoes the document's text only between double quotes (`"undefined" is not
  // valid JSON`): such a message goes whole into a code span, the others are V8's own words.
  const plain = message.replace(UNSAFE_RUNS, " ");
  return plain.includes('"') ? `the parser said ${quote(plain, 160)}` : lowerFirst(plain.slice(0, 160));
}

function fail(problem: DocumentProblem, path: string, message: string): ParsedDocument {
  return { ok: false, problem, diagnostics: [{ path, message }] };
}

/**
 * A document root that is not an object, by its type and size only. Its text is never echoed: a
 * link can make any file look like a document (a secret, say), and messages reach Forgejo.
 */
export function describeNonObjectRoot(value: unknown): string {
  if (typeof value === "string") return `a text of ${[...value].length} characters`;
  if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
  if (value === null) return "nothing (null)";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, "")} KiB`;
  return `${bytes} bytes`;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
