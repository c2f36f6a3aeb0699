import * as z from "zod";
import { parseIsoTime } from "../time/iso-time.js";
import { VERDICTS } from "../verdict/verdict-types.js";

/**
 * The receipt contract. A caller hands the log a *draft* (kind, actor, payload); the log adds the
 * envelope (seq, time, prev, key_id) and the seal (hash, sig). Both schemas come from one table per
 * kind, so a draft and the receipt it becomes cannot drift apart.
 */
export const RECEIPT_SCHEMA_ID = "patchwarden.receipt.v1";

/** `prev` of receipt 1: no receipt comes before it. */
export const GENESIS_HASH = `sha256:${"0".repeat(64)}`;

/** One receipt line, seal included, may not exceed this: the tail of the log is found by reading backwards. */
export const MAX_RECEIPT_BYTES = 16 * 1024;

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: "must be `sha256:` followed by 64 lowercase hex digits" });
const isoTime = z.string().refine((value) => parseIsoTime(value) !== null, { error: "is not an ISO-8601 time with an explicit offset; write it like `2026-11-21T05:00:00.000Z`" });
const text = z.string().min(1).max(2000);

/** An operator's Forgejo login, or `patchwarden` for what the gate records by itself. */
export const actorSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: "must be a login: letters, digits, `_`, `.`, `-`, at most 64 characters" });
export const proposalIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, { error: "must be a proposal id such as `p_0123456789abcdef0123`" });
export const lockIdSchema = z.string().regex(/^lk-[0-9a-f]{12}$/, { error: "must be a lock id such as `lk-3f9a2c71d0e4` (see `patchwarden lock status`)" });
export const keyIdSchema = z.string().regex(/^ed25519:[0-9a-f]{16}$/, { error: "must be `ed25519:` followed by 16 hex digits" });

const repo = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "must be `owner/name`" });

/** Where on Forgejo: one issue, one pull request or one commit of one repository. */
export const forgejoTargetSchema = z.union([
  z.strictObject({ repo, issue: z.int().positive() }),
  z.strictObject({ repo, pr: z.int().positive() }),
  z.strictObject({ repo, commit: z.string().regex(/^[0-9a-f]{7,64}$/, { error: "must be a commit sha in lowercase hex" }) }),
]);

const TARGET_FIELDS = { host: z.string().min(1).max(253).optional(), service: z.string().min(1).max(253).optional() };

/** What a repair would touch, as the candidate names it; locks are taken on it. */
export const repairTargetSchema = z.strictObject(TARGET_FIELDS).refine((target) => target.host !== undefined || target.service !== undefined, { error: "name a host, a service, or both" });

/**
 * What a repair lock holds: a repair target, or `{"every":true}`, every host and every service: the
 * lock of a repair whose candidate names no target, which may touch anything (see
 * locks/repair-target.ts). Said by name: an empty target is still refused.
 */
export const lockTargetSchema = z
  .strictObject({ ...TARGET_FIELDS, every: z.literal(true).optional() })
  .refine((target) => (target.every === true ? target.host === undefined && target.service === undefined : target.host !== undefined || target.service !== undefined), {
    error: "name a host, a service, or both; or `every: true` alone, for a repair whose candidate names no target",
  });

const verdictName = z.enum(VERDICTS);
const reasonCodes = z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).max(200);

/** Any receipt may say which proposal, Forgejo target and repair target it concerns, and why. */
const CONTEXT = {
  proposal_id: proposalIdSchema.optional(),
  target: forgejoTargetSchema.optional(),
  repair_target: repairTargetSchema.optional(),
  reason: text.optional(),
};

/** The verdict as recorded: enough to say what was decided, on which bytes, under which rules. */
const VERDICT_FIELDS = {
  verdict: verdictName,
  repair_class: z.string().max(200).nullable(),
  bundle_digest: digest.nullable(),
  policy_digest: digest,
  engine_version: z.string().min(1).max(64),
  engine_digest: digest.optional(),
  reason_codes: reasonCodes,
  evaluated_at: isoTime,
  /** The evidence snapshot judged (`<data>/evidence/`), so replay finds the exact bytes again. */
  evidence_ref: z.string().regex(/^[0-9a-f]{64}$/).optional(),
};

const OPTIONAL_VERDICT_FIELDS = {
  verdict: verdictName.optional(),
  repair_class: z.string().max(200).nullable().optional(),
  bundle_digest: digest.nullable().optional(),
  policy_digest: digest.optional(),
  engine_version: z.string().min(1).max(64).optional(),
  engine_digest: digest.optional(),
  reason_codes: reasonCodes.optional(),
  evaluated_at: isoTime.optional(),
  evidence_ref: z.string().regex(/^[0-9a-f]{64}$/).optional(),
};

/** The payload of each kind, on top of CONTEXT. */
const KINDS = {
  verdict: VERDICT_FIELDS,
  "proposal.proposed": {
    ...VERDICT_FIELDS,
    proposal_id: proposalIdSchema,
    target: forgejoTargetSchema,
    /** sha256 of the canonical JSON of what would be posted (postDigest): approval posts only that. Absent in receipts written before it was recorded. */
    post_digest: digest.optional(),
  },
  "proposal.approved": { ...OPTIONAL_VERDICT_FIELDS, proposal_id: proposalIdSchema, target: forgejoTargetSchema },
  "proposal.rejected": { proposal_id: proposalIdSchema },
  "proposal.posted": { proposal_id: proposalIdSchema, target: forgejoTargetSchema, comment_id: z.int().positive().optional(), url: z.string().max(2000).optional() },
  "proposal.superseded": { proposal_id: proposalIdSchema, superseded_by: proposalIdSchema.optional() },
  /** A policy change's what-if proposed: the candidate, what was replayed, what would change. */
  "what_if.proposed": {
    proposal_id: proposalIdSchema,
    target: forgejoTargetSchema,
    path: z.string().min(1).max(1000),
    policy_digest: digest.nullable(),
    through_seq: z.int().nonnegative(),
    replayed: z.int().nonnegative(),
    loosened: z.int().nonnegative(),
    tightened: z.int().nonnegative(),
    not_replayed: z.int().nonnegative(),
    result_digest: z.string().regex(/^[0-9a-f]{64}$/),
    // These three are absent in receipts written before they were recorded: approval refuses such a what-if (nothing pins its file).
    /** Settings of the candidate looser than the running policy. */
    looser_settings: z.int().nonnegative().optional(),
    /** sha256 of the canonical JSON of the proposal's `what_if` (whatIfDigest): its ref, candidate text and problems too. */
    what_if_digest: digest.optional(),
    /** sha256 of the canonical JSON of what would be posted (postDigest): approval posts only that. */
    post_digest: digest.optional(),
  },
  "lock.acquired": { lock_id: lockIdSchema, repair_target: lockTargetSchema, owner: actorSchema, reason: text, expires_at: isoTime },
  "lock.released": { lock_id: lockIdSchema, repair_target: lockTargetSchema, reason: text, postcheck_seq: z.int().positive().optional() },
  "lock.expired": { lock_id: lockIdSchema, repair_target: lockTargetSchema, expired_at: isoTime },
  postcheck: { repair_target: lockTargetSchema, result: z.enum(["pass", "fail"]), lock_id: lockIdSchema.optional() },
  // Flat, not nested: a top-level `seq` must be the only `"seq":` key in a line (see line-facts.ts).
  "log.reanchored": { previous_head_seq: z.int().nonnegative().nullable(), previous_head_hash: digest.nullable(), reason: text },
} as const;

export type ReceiptKind = keyof typeof KINDS;
export const RECEIPT_KINDS = Object.keys(KINDS) as ReceiptKind[];

const ENVELOPE = {
  schema: z.literal(RECEIPT_SCHEMA_ID),
  seq: z.int().positive(),
  time: isoTime,
  prev: digest,
  key_id: keyIdSchema.optional(),
  hash: digest,
  sig: z
    .string()
    .regex(/^[A-Za-z0-9+/]{86}==$/, { error: "must be a base64 ed25519 signature (88 characters)" })
    .optional(),
};

const BASE_DRAFT = z.strictObject({ actor: actorSchema, ...CONTEXT });

// extend, not a spread: a kind's own field (a required `reason`) must replace the context's optional one.
function draftOf<K extends ReceiptKind>(kind: K) {
  return BASE_DRAFT.extend({ kind: z.literal(kind), ...KINDS[kind] });
}

const DRAFTS = {
  verdict: draftOf("verdict"),
  "proposal.proposed": draftOf("proposal.proposed"),
  "proposal.approved": draftOf("proposal.approved"),
  "proposal.rejected": draftOf("proposal.rejected"),
  "proposal.posted": draftOf("proposal.posted"),
  "proposal.superseded": draftOf("proposal.superseded"),
  "what_if.proposed": draftOf("what_if.proposed"),
  "lock.acquired": draftOf("lock.acquired"),
  "lock.released": draftOf("lock.released"),
  "lock.expired": draftOf("lock.expired"),
  postcheck: draftOf("postcheck"),
  "log.reanchored": draftOf("log.reanchored"),
};

export const receiptDraftSchema = z.discriminatedUnion("kind", [
  DRAFTS.verdict,
  DRAFTS["proposal.proposed"],
  DRAFTS["proposal.approved"],
  DRAFTS["proposal.rejected"],
  DRAFTS["proposal.posted"],
  DRAFTS["proposal.superseded"],
  DRAFTS["what_if.proposed"],
  DRAFTS["lock.acquired"],
  DRAFTS["lock.released"],
  DRAFTS["lock.expired"],
  DRAFTS.postcheck,
  DRAFTS["log.reanchored"],
]);

export const receiptSchema = z.discriminatedUnion("kind", [
  DRAFTS.verdict.extend(ENVELOPE),
  DRAFTS["proposal.proposed"].extend(ENVELOPE),
  DRAFTS["proposal.approved"].extend(ENVELOPE),
  DRAFTS["proposal.rejected"].extend(ENVELOPE),
  DRAFTS["proposal.posted"].extend(ENVELOPE),
  DRAFTS["proposal.superseded"].extend(ENVELOPE),
  DRAFTS["what_if.proposed"].extend(ENVELOPE),
  DRAFTS["lock.acquired"].extend(ENVELOPE),
  DRAFTS["lock.released"].extend(ENVELOPE),
  DRAFTS["lock.expired"].extend(ENVELOPE),
  DRAFTS.postcheck.extend(ENVELOPE),
  DRAFTS["log.reanchored"].extend(ENVELOPE),
]);

/** What a caller appends (input type: optional fields may be left out). */
export type ReceiptDraft = z.input<typeof receiptDraftSchema>;
export type DraftOf<K extends ReceiptKind> = Extract<ReceiptDraft, { kind: K }>;
/** A receipt as written and read back. */
export type Receipt = z.output<typeof receiptSchema>;
export type ReceiptOf<K extends ReceiptKind> = Extract<Receipt, { kind: K }>;
export type ForgejoTarget = z.output<typeof forgejoTargetSchema>;
export type RepairTarget = z.output<typeof repairTargetSchema>;
/** A lock's target: a repair target, or every host and service (`every: true`, no host or service). */
export type LockTarget = z.output<typeof lockTargetSchema>;

/** The fields the log adds; a draft may not carry them. */
export const ENVELOPE_KEYS = Object.keys(ENVELOPE);
