import { parseDocument } from "../document/parse-document.js";
import { BUNDLE_SCHEMA_ID } from "../evidence/bundle-schema.js";
import { KIT_BUNDLE_SCHEMA_ID } from "../evidence/safe-update/kit-schemas.js";

export type DocumentRole = "bundle" | "other" | "unreadable";

const BUNDLE_NAME = /(?:^|\/)(?:evidence-bundle\.json|[^/]+\.bundle\.(?:json|ya?ml))$/i;
const DATA_NAME = /\.(?:json|ya?ml)$/i;

export function mayBeDocument(name: string): boolean {
  return DATA_NAME.test(name);
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

const FENCE = /^(`{3,}|~{3,})[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;

/**
 * Bundles written into an issue or PR body: a fence tagged `patchwarden-bundle`, or a json/yaml
 * fence whose document says `schema: patchwarden.evidence_bundle.v1`.
 */
export function fencedBundles(body: string, where: string): FencedBundle[] {
  const found: FencedBundle[] = [];
  for (const match of body.matchAll(FENCE)) {
    const info = (match[2] ?? "").toLowerCase();
    const text = match[3] ?? "";
    const tagged = info === "patchwarden-bundle" || info === "patchwarden";
    const data = info === "json" || info === "yaml" || info === "yml";
    if (!tagged && !(data && text.includes(BUNDLE_SCHEMA_ID))) continue;
    const extension = info === "json" || (!info.startsWith("y") && text.trimStart().startsWith("{")) ? "json" : "yaml";
    found.push({ name: `${where}-fenced-${found.length + 1}.${extension}`, text });
  }
  return found;
}
