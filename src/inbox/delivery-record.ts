import * as z from "zod";
import type { Job } from "../forgejo/jobs.js";

/** One line of the inbox log. Every delivery gets one `accepted` or `ignored` line; accepted ones later a `done`. */
export type DeliveryRecord =
  | { type: "accepted"; delivery: string; received_at: string; event: string; event_type: string; job: Job }
  | { type: "ignored"; delivery: string; received_at: string; event: string; event_type: string; reason: string }
  | { type: "done"; delivery: string; at: string; proposals: string[]; note?: string };

export const deliveryRecordSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("accepted"), delivery: z.string(), received_at: z.string(), event: z.string(), event_type: z.string(), job: z.looseObject({ trigger: z.string(), repo: z.string() }) }),
  z.looseObject({ type: z.literal("ignored"), delivery: z.string(), received_at: z.string(), event: z.string(), event_type: z.string(), reason: z.string() }),
  z.looseObject({ type: z.literal("done"), delivery: z.string(), at: z.string(), proposals: z.array(z.string()) }),
]);
