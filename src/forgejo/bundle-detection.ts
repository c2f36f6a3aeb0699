import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { parseDocument, type DocumentProblem } from "../document/parse-document.js";
import { BUNDLE_SCHEMA_ID } from "../evidence/bundle-schema.js";
import { KIT_BUNDLE_SCHEMA_ID } from "../evidence/safe-update/kit-schemas.js";

export type DocumentRole = "bundle" | "other" | "unreadable";

const BUNDLE_NAME = /(?:^|\/)(?:evidence-bundle\.json|[^/]+\.bundle\.(?:json|ya?ml))$/i;
const DATA_NAME = /\.(?:json|ya?ml)$/i;

export function mayBeDocument(name: string): boolean {
  return DATA_NAME.test(name);
}

/** Named as a bundle is (`*.bundle.json`, `*.bundle.yaml`, a safe-update run's `evidence-bundle.json`). */
export function isBundleName(name: string): boolean {
  return BUNDLE_NAME.test(name);
}

/** Why a document cannot be parsed (its first diagnostic, rooted at its name), or null when it can. */
export function documentProblem(name: string, bytes: Uint8Array): { problem: DocumentProblem; message: string } | null {
  const parsed = parseDocument(bytes, { root: name, name, maxBytes: Number.MAX_SAFE_INTEGER });
  if (parsed.ok) return null;
  const first = parsed.diagnostics[0];
  return { problem: parsed.problem, message: first === undefined ? parsed.problem : formatDiagnostic(first) };
}

/**
 * Is this attachment or pushed file an evidence bundle? By its `schema`, or by its name when it
 * cannot be parsed: a file named like a bundle that does not parse is judged (and blocked), so a
 * broken bundle is reported rather than skipped; other unparseable data is not evidence.
 */
export function documentRole(name: string, bytes: Uint8Array): DocumentRole {
  const parsed = parseDocument(bytes, { root: "bundle", name, maxBytes: Number.MAX_SAFE_INTEGER });
  if (!parsed.ok) return BUNDLE_NAME.test(name) ? "bundle" : "unreadable";
  const schema = (parsed.value as { schema?: unknown } | null)?.schema;
  if (schema === BUNDLE_SCHEMA_ID || schema === KIT_BUNDLE_SCHEMA_ID) return "bundle";
  return BUNDLE_NAME.test(name) ? "bundle" : "other";
}

export interface FencedBundle {
  name: string;
  text: string;
}

/** The largest description scanned for fenced bundles; a bundle that big belongs in an attachment. */
export const MAX_SCANNED_BODY_BYTES = 256 * 1024;

/** A description's fenced bundles, or its size when it was too large to scan. */
export type FencedScan = { ok: true; bundles: FencedBundle[] } | { ok: false; bytes: number };

/**
 * Bundles written into an issue or PR body: a fence tagged `patchwarden-bundle`, or a json/yaml
 * fence whose document says `schema: patchwarden.evidence_bundle.v1`.
 */
export function fencedBundles(body: string, where: string): FencedScan {
  const bytes = Buffer.byteLength(body, "utf8");
  // Every fenced bundle names patchwarden (its tag or its schema): a large description that never
  // does holds none, and is not blocked for its size.
  if (bytes > MAX_SCANNED_BODY_BYTES) return /patchwarden/i.test(body) ? { ok: false, bytes } : { ok: true, bundles: [] };
  const bundles: FencedBundle[] = [];
  for (const { info, text } of fenceBlocks(body.split("\n"))) {
    const tagged = info === "patchwarden-bundle" || info === "patchwarden";
    const data = info === "json" || info === "yaml" || info === "yml";
    if (!tagged && !(data && text.includes(BUNDLE_SCHEMA_ID))) continue;
    const extension = info === "json" || (!info.startsWith("y") && text.trimStart().startsWith("{")) ? "json" : "yaml";
    bundles.push({ name: `${where}-fenced-${bundles.length + 1}.${extension}`, text });
  }
  return { ok: true, bundles };
}

export interface FenceBlock {
  /** The info string's first word, lowercased (`json`, `patchwarden-bundle`). */
  info: string;
  text: string;
}

const OPENER = /^(`{3,}|~{3,})[ \t]*([\w-]*)/;

/**
 * CommonMark's HTML blocks that run to an end marker, blank lines and all (types 1 to 5). Inside
 * one a fence is raw HTML, not a code block, and in a comment or a script Forgejo shows nothing: a
 * bundle there would be judged while the operator reading the description sees none.
 */
const HTML_BLOCKS: ReadonlyArray<{ start: RegExp; end: RegExp }> = [
  { start: /^ {0,3}<(?:pre|script|style|textarea)(?:[ \t>]|\r?$)/i, end: /<\/(?:pre|script|style|textarea)>/i },
  { start: /^ {0,3}<!--/, end: /-->/ },
  { start: /^ {0,3}<\?/, end: /\?>/ },
  { start: /^ {0,3}<![a-z]/i, end: />/ },
  { start: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/ },
];
const MAY_START_HTML = /^ {0,3}</;

/**
 * The fenced code blocks among lines, in one pass: each line is looked at once, so a hostile
 * description (thousands of unclosed openers) costs what its length does; a regex that looked
 * ahead for each opener's closing line took seconds on 150 KB and stalled webhook intake. As in
 * CommonMark, a fence opens at the start of a line, closes at a line of the same character at least
 * as long with nothing after it but blanks, and one left open runs to the end of the text; an HTML
 * block (above) that starts outside a fence hides the fences in it, up to the line that ends it.
 */
export function* fenceBlocks(lines: Iterable<string>): Generator<FenceBlock> {
  let open: { char: string; length: number; info: string; lines: string[] } | null = null;
  // The end marker of the HTML block the scan is in, if any.
  let htmlEnd: RegExp | null = null;
  for (const line of lines) {
    if (open === null) {
      if (htmlEnd !== null) {
        if (htmlEnd.test(line)) htmlEnd = null;
        continue;
      }
      const opener = OPENER.exec(line);
      if (opener !== null) open = { char: opener[1]![0]!, length: opener[1]!.length, info: opener[2]!.toLowerCase(), lines: [] };
      else if (MAY_START_HTML.test(line)) htmlEnd = htmlBlockEnd(line);
    } else if (closes(line, open.char, open.length)) {
      yield { info: open.info, text: open.lines.map((l) => `${l}\n`).join("") };
      open = null;
    } else {
      open.lines.push(line);
    }
  }
  if (open !== null) yield { info: open.info, text: open.lines.join("\n") };
}

/** The end marker of the HTML block this line starts, or null: none starts, or it ends on this line. */
function htmlBlockEnd(line: string): RegExp | null {
  for (const { start, end } of HTML_BLOCKS) if (start.test(line)) return end.test(line) ? null : end;
  return null;
}

/** A closing fence: `char` at least `length` times, then only spaces or tabs (and a CRLF's `\r`). */
function closes(line: string, char: string, length: number): boolean {
  let i = 0;
  while (i < line.length && line[i] === char) i++;
  if (i < length) return false;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c !== " " && c !== "\t" && !(c === "\r" && i === line.length - 1)) return false;
  }
  return true;
}
