import * as z from "zod";
import type { Job } from "../forgejo/jobs.js";

/** One line of the inbox log. Every delivery gets one `accepted` or `ignored` line; accepted ones later a `done`. */
export type DeliveryRecord =
  | { type: "accepted"; delivery: string; received_at: string; event: string; event_type: string; payload_hmac?: string; job: Job }
  | { type: "ignored"; delivery: string; received_at: string; event: string; event_type: string; payload_hmac?: string; reason: string }
  | { type: "done"; delivery: string; at: string; proposals: string[]; note?: string; failed?: boolean };

/** The payload's verified HMAC-SHA256 (content-key.ts); absent in lines written by older versions. */
const payloadHmac = z.string().regex(/^[0-9a-f]{64}$/).optional();

export const deliveryRecordSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("accepted"), delivery: z.string(), received_at: z.string(), event: z.string(), event_type: z.string(), payload_hmac: payloadHmac, job: z.looseObject({ trigger: z.string(), repo: z.string() }) }),
  z.looseObject({ type: z.literal("ignored"), delivery: z.string(), received_at: z.string(), event: z.string(), event_type: z.string(), payload_hmac: payloadHmac, reason: z.string() }),
  // `failed`: the evaluation ended in an error and is run again at the next start (delivery-log.ts).
  z.looseObject({ type: z.literal("done"), delivery: z.string(), at: z.string(), proposals: z.array(z.string()), failed: z.boolean().optional() }),
]);
