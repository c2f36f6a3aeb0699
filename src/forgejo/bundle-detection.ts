import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { parseDocument, type DocumentProblem } from "../document/parse-document.js";
import { BUNDLE_SCHEMA_ID } from "../evidence/bundle-schema.js";
import { KIT_BUNDLE_SCHEMA_ID } from "../evidence/safe-update/kit-schemas.js";
import { fenceBlocks } from "../markdown/fence-blocks.js";

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

/**
 * A description's fenced bundles, or its size when it was too large to scan. `lostAtLine`: the scan
 * could not follow the Markdown past this line (see fenceBlocks), and the lines from it on mention
 * patchwarden, so a bundle may be there that cannot be placed: the caller says so.
 */
export type FencedScan = { ok: true; bundles: FencedBundle[]; lostAtLine: number | null } | { ok: false; bytes: number };

/**
 * Bundles written into an issue or PR body: a fence tagged `patchwarden-bundle`, or a json/yaml
 * fence whose document says `schema: patchwarden.evidence_bundle.v1`.
 */
export function fencedBundles(body: string, where: string): FencedScan {
  const bytes = Buffer.byteLength(body, "utf8");
  // Every fenced bundle names patchwarden (its tag or its schema): a large description that never
  // does holds none, and is not blocked for its size.
  if (bytes > MAX_SCANNED_BODY_BYTES) return /patchwarden/i.test(body) ? { ok: false, bytes } : { ok: true, bundles: [], lostAtLine: null };
  const bundles: FencedBundle[] = [];
  // A lone CR ends a line for CommonMark and for Forgejo (which normalizes line ends before rendering): read as they do.
  const lines = body.replace(/\r(?!\n)/g, "\n").split("\n");
  const scan = fenceBlocks(lines);
  for (let next = scan.next(); ; next = scan.next()) {
    if (next.done === true) {
      const lost = next.value.lostAtLine;
      return { ok: true, bundles, lostAtLine: lost !== null && /patchwarden/i.test(lines.slice(lost - 1).join("\n")) ? lost : null };
    }
    const { info, text } = next.value;
    const tagged = info === "patchwarden-bundle" || info === "patchwarden";
    const data = info === "json" || info === "yaml" || info === "yml";
    if (!tagged && !(data && text.includes(BUNDLE_SCHEMA_ID))) continue;
    const extension = info === "json" || (!info.startsWith("y") && text.trimStart().startsWith("{")) ? "json" : "yaml";
    bundles.push({ name: `${where}-fenced-${bundles.length + 1}.${extension}`, text });
  }
}
