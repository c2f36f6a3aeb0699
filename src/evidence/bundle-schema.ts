import * as z from "zod";
import { didYouMean } from "../diagnostics/suggest.js";
import { quote } from "../diagnostics/diagnostic.js";
import { EVIDENCE_KINDS, EVIDENCE_STATUSES } from "./kinds.js";
import { plainName, targetHost, targetService } from "./plain-name.js";

export const BUNDLE_SCHEMA_ID = "patchwarden.evidence_bundle.v1";

/** ISO-8601 with seconds and an explicit offset; a zoneless time is an error, not a guess. */
export const isoTime = z.iso.datetime({ offset: true });

export const sha256Text = z
  .string()
  .regex(/^(?:sha256:)?[0-9a-f]{64}$/, {
    error: (issue) => `${quote(issue.input)} is not a sha256 digest; write \`sha256:\` followed by 64 lowercase hex digits`,
  });

export const evidenceKind = z.enum(EVIDENCE_KINDS, {
  error: (issue) =>
    issue.input === undefined
      ? `missing; add it: one of ${EVIDENCE_KINDS.join(", ")}`
      : `unknown evidence kind ${quote(issue.input)}${didYouMean(issue.input, EVIDENCE_KINDS) || `; expected one of ${EVIDENCE_KINDS.join(", ")}`}`,
});

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, { error: (issue) => `${quote(issue.input)} is not an identifier; use lowercase letters, digits and \`_\`, starting with a letter` });

// `data` only has to be an object here; z.record would copy it and run a schema on every key.
const plainObject = z
  .custom<Record<string, unknown>>((value) => value !== null && typeof value === "object" && !Array.isArray(value), {
    error: (issue) => `expected an object, got ${Array.isArray(issue.input) ? "a list" : quote(issue.input)}`,
  })
  .meta({ type: "object" });

/** A path inside the bundle's own folder or attachment set: never absolute, never climbing out. */
export const RELATIVE_PATH_PATTERN = /^(?!\/)(?!.*\\)(?!(?:.*\/)?\.\.?(?:\/|$))(?!.*\/\/)(?!.*\/$).+$/;

export const relativeArtifactPath = z
  .string()
  .max(512)
  .regex(RELATIVE_PATH_PATTERN, {
    error: (issue) => `${quote(issue.input)} must be a relative path inside the bundle's folder, without \`..\`, \`.\`, empty parts or backslashes`,
  });

const planStep = z.strictObject({
  action: z.string().min(1).max(200).describe("What the step does, e.g. `drift.plan` or `service.restart`; judged against the policy's hard-manual actions and the repair class's allowed actions."),
  description: z.string().max(2000).optional(),
  target: z.string().max(500).optional(),
});

export const candidateSchema = z.strictObject({
  // At most what a receipt records (`repair_class` in receipt-schema.ts): a longer one is refused here, not by the log.
  repair_class: identifier.max(200).describe("A repair class named in the policy, e.g. `deploy_drift_probe`; at most 200 characters."),
  summary: z.string().min(1).max(2000),
  target: z
    .strictObject({
      host: targetHost().optional(),
      service: targetService().optional(),
    })
    .optional()
    .describe("What the repair would touch; locks (issue 5) are taken per host/service."),
  issue: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("A Forgejo issue in the repository holding the bundle that tracks this repair. Proposals for a pushed bundle are commented there; without it, they are commit-status proposals."),
  plan: z
    .strictObject({
      summary: z.string().max(2000).optional(),
      steps: z.array(planStep).max(500),
    })
    .optional(),
});

export const evidenceItemSchema = z
  .strictObject({
    id: plainName(200).optional().describe("Producer's own id for the item; shown in reasons."),
    kind: evidenceKind,
    subject: plainName(500).optional().describe("What the item is about (a host, a service, an artifact). Items of one kind and subject are duplicates and must agree."),
    generated_at: isoTime,
    status: z.enum(EVIDENCE_STATUSES),
    expires_at: isoTime.optional(),
    summary: z.string().max(2000).optional(),
    artifact: relativeArtifactPath.optional().describe("An external artifact beside the bundle; its bytes must hash to `sha256`."),
    sha256: sha256Text.optional().describe("sha256 of the external artifact this item summarises."),
    data: plainObject.describe("The producer's own findings. Judged by the rules (approval claims, kind-specific checks), not by the schema."),
  })
  .refine((item) => item.artifact === undefined || item.sha256 !== undefined, {
    error: "an item naming an `artifact` must also give its `sha256`, or the artifact cannot be checked",
    path: ["sha256"],
  })
  .meta({ dependentRequired: { artifact: ["sha256"] } });

export const evidenceBundleSchema = z
  .strictObject({
    schema: z.literal(BUNDLE_SCHEMA_ID),
    generated_at: isoTime,
    producer: z.strictObject({
      name: z.string().min(1).max(200),
      version: z.string().max(100).optional(),
      host: z.string().max(253).optional(),
    }),
    candidate: candidateSchema,
    evidence: z.array(evidenceItemSchema).max(10_000),
  })
  .meta({
    $id: "https://patchwarden.invalid/schemas/patchwarden.evidence_bundle.v1.schema.json",
    title: "Patchwarden evidence bundle v1",
    description: "Evidence about one repair candidate, produced by Iskra/OpenClaw and judged by Patchwarden.",
  });

export type EvidenceBundle = z.output<typeof evidenceBundleSchema>;
export type EvidenceItem = z.output<typeof evidenceItemSchema>;
export type Candidate = z.output<typeof candidateSchema>;
