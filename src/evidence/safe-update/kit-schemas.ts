import * as z from "zod";
import { isoTime, relativeArtifactPath } from "../bundle-schema.js";

export const KIT_BUNDLE_SCHEMA_ID = "openclaw.safe_update.evidence_bundle.v1";
export const KIT_STATUS_SCHEMA_ID = "openclaw.safe_update.status.v2";
export const KIT_VERDICT_FILE = "verdict.json";
export const KIT_BUNDLE_FILE = "evidence-bundle.json";
export const KIT_VERDICTS = ["blocked", "ready_for_operator_plan"] as const;

const bareHex = z.string().regex(/^[0-9a-f]{64}$/, { error: "must be 64 lowercase hex digits, as the kit writes them" });
const prefixedDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: "must be `sha256:` followed by 64 lowercase hex digits" });

// The kit is another team's producer: we pin the fields we judge and let it add others.
export const kitBundleSchema = z.looseObject({
  schema: z.literal(KIT_BUNDLE_SCHEMA_ID),
  generated_at: isoTime,
  repair_class: z.string().regex(/^[a-z][a-z0-9_]*$/),
  verdict: z.enum(KIT_VERDICTS),
  evidence: z
    .array(
      z.looseObject({
        path: relativeArtifactPath,
        sha256: bareHex,
        status: z.string().min(1),
      }),
    )
    .min(1)
    .max(200),
});

export const kitStatusSchema = z.looseObject({
  schema: z.literal(KIT_STATUS_SCHEMA_ID),
  generated_at: isoTime,
  verdict: z.enum(KIT_VERDICTS),
  reason: z.string().optional(),
  next_step: z.string().optional(),
  evidence_bundle: z.looseObject({ path: z.string(), sha256: bareHex }),
  decision_content: z.looseObject({
    verdict: z.enum(KIT_VERDICTS),
    reason_code: z.string(),
    next_step_code: z.string().optional(),
    evidence_status: z.record(z.string(), z.string()),
    gate_decision: z.looseObject({
      status: z.string(),
      handling: z.string(),
      required_gates: z.array(z.string()),
      decision_digest: prefixedDigest,
    }),
  }),
  decision_digest: prefixedDigest,
});

/** Fields every kit artifact carries that the gate reads. */
export const kitArtifactSchema = z.looseObject({
  schema: z.string(),
  generated_at: isoTime,
  status: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
  expires_at: isoTime.optional(),
});

export type KitBundle = z.output<typeof kitBundleSchema>;
export type KitStatus = z.output<typeof kitStatusSchema>;
export type KitArtifact = z.output<typeof kitArtifactSchema>;
