import { classifyDelivery, type TriggerRules } from "../forgejo/classify-delivery.js";
import type { DeliveryHeaders } from "../forgejo/webhook-headers.js";
import type { Job } from "../forgejo/jobs.js";
import type { DeliveryLog } from "../inbox/delivery-log.js";
import { formatIsoTime } from "../time/iso-time.js";

export type IntakeOutcome =
  | { status: "accepted"; trigger: Job["trigger"] }
  | { status: "ignored"; reason: string }
  | { status: "duplicate" };

/**
 * Accept, persist, answer; evaluate after. A delivery id is remembered before the first await,
 * so a redelivery racing its original is a duplicate too; the record is on disk (fsynced) before
 * the webhook answers 202, so nothing accepted is lost.
 */
export class Intake {
  /** performance.now() of the last delivery received (a monotonic clock, not the verdict clock): evaluation waits for a quiet moment. */
  lastReceivedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly inbox: DeliveryLog,
    private readonly seen: Set<string>,
    private readonly rules: TriggerRules,
    private readonly onAccepted: (delivery: string, job: Job) => void,
    private readonly now: () => number,
  ) {}

  async receive(headers: DeliveryHeaders & { delivery: string }, payload: unknown): Promise<IntakeOutcome> {
    this.lastReceivedAt = performance.now();
    if (this.seen.has(headers.delivery)) return { status: "duplicate" };
    this.seen.add(headers.delivery);
    const classification = classifyDelivery(headers, payload, this.rules);
    const base = { delivery: headers.delivery, received_at: formatIsoTime(this.now()), event: headers.event ?? "", event_type: headers.eventType ?? "" };
    try {
      if (classification.kind === "job") await this.inbox.append({ type: "accepted", ...base, job: classification.job });
      else await this.inbox.append({ type: "ignored", ...base, reason: classification.reason });
    } catch (error) {
      // Not durable, so not accepted: forget it, and let Forgejo see the failure (redeliver later).
      this.seen.delete(headers.delivery);
      throw error;
    }
    if (classification.kind === "ignored") return { status: "ignored", reason: classification.reason };
    this.onAccepted(headers.delivery, classification.job);
    return { status: "accepted", trigger: classification.job.trigger };
  }
}
