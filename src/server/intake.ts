import { classifyDelivery, type Classification, type TriggerRules } from "../forgejo/classify-delivery.js";
import type { DeliveryHeaders } from "../forgejo/webhook-headers.js";
import type { Job } from "../forgejo/jobs.js";
import type { DeliveryLog } from "../inbox/delivery-log.js";
import { formatIsoTime } from "../time/iso-time.js";

export type IntakeOutcome =
  | { status: "accepted"; trigger: Job["trigger"] }
  | { status: "ignored"; reason: string }
  | { status: "duplicate" };

/**
 * Accept, persist, answer; evaluate after. The record is on disk (fsynced) before the webhook
 * answers 202, so nothing accepted is lost. `seen` holds only delivery ids already on disk; a
 * redelivery racing its original waits for the original's write and answers as it turned out.
 */
export class Intake {
  /** performance.now() of the last delivery received (a monotonic clock, not the verdict clock): evaluation waits for a quiet moment. */
  lastReceivedAt = Number.NEGATIVE_INFINITY;
  /** Inbox writes not yet on disk, by delivery id; registered before the first await. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly inbox: Pick<DeliveryLog, "append">,
    private readonly seen: Set<string>,
    private readonly rules: TriggerRules,
    private readonly onAccepted: (delivery: string, job: Job) => void,
    private readonly now: () => number,
  ) {}

  async receive(headers: DeliveryHeaders & { delivery: string }, payload: unknown): Promise<IntakeOutcome> {
    this.lastReceivedAt = performance.now();
    const inFlight = this.writing.get(headers.delivery);
    if (inFlight !== undefined) return this.afterOriginal(headers.delivery, inFlight);
    if (this.seen.has(headers.delivery)) return { status: "duplicate" };
    const classification = classifyDelivery(headers, payload, this.rules);
    const write = this.persist(headers, classification);
    this.writing.set(headers.delivery, write);
    try {
      // A failure propagates: not durable, so not accepted; Forgejo sees a 500 and can redeliver.
      await write;
      this.seen.add(headers.delivery);
    } finally {
      this.writing.delete(headers.delivery);
    }
    if (classification.kind === "ignored") return { status: "ignored", reason: classification.reason };
    this.onAccepted(headers.delivery, classification.job);
    return { status: "accepted", trigger: classification.job.trigger };
  }

  private persist(headers: DeliveryHeaders & { delivery: string }, classification: Classification): Promise<void> {
    const base = { delivery: headers.delivery, received_at: formatIsoTime(this.now()), event: headers.event ?? "", event_type: headers.eventType ?? "" };
    if (classification.kind === "job") return this.inbox.append({ type: "accepted", ...base, job: classification.job });
    return this.inbox.append({ type: "ignored", ...base, reason: classification.reason });
  }

  /**
   * A duplicate may say "duplicate" only once the original is on disk. When the original's write
   * fails, the duplicate fails too (a 500) rather than writing it again: the original already
   * answered 500, so Forgejo shows the delivery as failed either way, and a disk that just refused
   * a write would most likely refuse the retry as well.
   */
  private async afterOriginal(delivery: string, write: Promise<void>): Promise<IntakeOutcome> {
    try {
      await write;
    } catch (error) {
      throw new Error(`delivery \`${delivery}\`: the inbox write of its first arrival failed (${(error as Error).message}), so this redelivery is not stored either; redeliver it from Forgejo once the inbox can be written`, { cause: error });
    }
    return { status: "duplicate" };
  }
}
