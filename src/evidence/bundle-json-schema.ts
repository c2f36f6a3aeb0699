import * as z from "zod";
import { evidenceBundleSchema } from "./bundle-schema.js";

/**
 * The bundle contract as JSON Schema (2020-12), generated from the zod definition: one source of truth.
 * `unrepresentable: "any"` covers the one custom check (`data` is a plain object), which carries
 * its JSON Schema form, `{"type": "object"}`, in its metadata.
 */
export function bundleJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(evidenceBundleSchema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

export const BUNDLE_JSON_SCHEMA_FILE = "docs/schemas/patchwarden.evidence_bundle.v1.schema.json";
