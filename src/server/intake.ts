import { classifyDelivery, type Classification, type TriggerRules } from "../forgejo/classify-delivery.js";
import type { DeliveryHeaders } from "../forgejo/webhook-headers.js";
import type { Job } from "../forgejo/jobs.js";
import { contentKey } from "../inbox/content-key.js";
import type { DeliveryLog, LineSpan } from "../inbox/delivery-log.js";
import { formatIsoTime } from "../time/iso-time.js";

export type IntakeOutcome =
  | { status: "accepted"; trigger: Job["trigger"] }
  | { status: "ignored"; reason: string }
  | { status: "duplicate" };

/** What is already on disk: delivery ids, and content keys (content-key.ts) for a redelivery under a new id. */
export interface SeenDeliveries {
  ids: Set<string>;
  contents: Set<string>;
}

interface InFlight {
  /** The delivery whose write it is. */
  delivery: string;
  write: Promise<LineSpan>;
}

/**
 * Accept, persist, answer; evaluate after. The record is on disk (fsynced) before the webhook
 * answers 202, so nothing accepted is lost. A delivery is a duplicate when its id or its content
 * (Forgejo's Redeliver sends the same signed bytes under a new id) is already on disk; one racing
 * its original waits for the original's write and answers as it turned out.
 */
export class Intake {
  /** performance.now() of the last delivery received (a monotonic clock, not the verdict clock): evaluation waits for a quiet moment. */
  lastReceivedAt = Number.NEGATIVE_INFINITY;
  /** Inbox writes not yet on disk, by delivery id and by content key; registered before the first await. */
  private readonly writingIds = new Map<string, InFlight>();
  private readonly writingContents = new Map<string, InFlight>();

  constructor(
    private readonly inbox: Pick<DeliveryLog, "append" | "refusing">,
    private readonly seen: SeenDeliveries,
    private readonly rules: TriggerRules,
    /** Called in log order, once the record is on disk; `span` is where its line lies. */
    private readonly onAccepted: (delivery: string, job: Job, span: LineSpan) => void,
    private readonly now: () => number,
  ) {}

  /** Why the inbox refuses every delivery until a restart, or null while it takes them. */
  get refusing(): Error | null {
    return this.inbox.refusing;
  }

  /** `payloadHmac`: the HMAC-SHA256 (hex) the signature check verified over the payload's bytes. */
  async receive(headers: DeliveryHeaders & { delivery: string }, payload: unknown, payloadHmac: string): Promise<IntakeOutcome> {
    this.lastReceivedAt = performance.now();
    const event = headers.event ?? "";
    const eventType = headers.eventType ?? "";
    const content = contentKey(event, eventType, payloadHmac);
    const inFlight = this.writingIds.get(headers.delivery) ?? this.writingContents.get(content);
    if (inFlight !== undefined) return this.afterOriginal(headers.delivery, inFlight);
    if (this.seen.ids.has(headers.delivery) || this.seen.contents.has(content)) return { status: "duplicate" };
    const classification = classifyDelivery(headers, payload, this.rules);
    const base = { delivery: headers.delivery, received_at: formatIsoTime(this.now()), event, event_type: eventType, payload_hmac: payloadHmac };
    const writing: InFlight = { delivery: headers.delivery, write: this.persist(base, classification) };
    this.writingIds.set(headers.delivery, writing);
    this.writingContents.set(content, writing);
    let span: LineSpan;
    try {
      // A failure propagates: not durable, so not accepted; Forgejo sees a 500 and can redeliver.
      span = await writing.write;
      this.seen.ids.add(headers.delivery);
      this.seen.contents.add(content);
    } finally {
      this.writingIds.delete(headers.delivery);
      this.writingContents.delete(content);
    }
    if (classification.kind === "ignored") return { status: "ignored", reason: classification.reason };
    this.onAccepted(headers.delivery, classification.job, span);
    return { status: "accepted", trigger: classification.job.trigger };
  }

  private persist(base: { delivery: string; received_at: string; event: string; event_type: string; payload_hmac: string }, classification: Classification): Promise<LineSpan> {
    if (classification.kind === "job") return this.inbox.append({ type: "accepted", ...base, job: classification.job });
    return this.inbox.append({ type: "ignored", ...base, reason: classification.reason });
  }

  /**
   * A duplicate may say "duplicate" only once the original is on disk. When the original's write
   * fails, the duplicate fails too (a 500) rather than writing it again: the original already
   * answered 500, so Forgejo shows the delivery as failed either way, and a disk that just refused
   * a write would most likely refuse the retry as well.
   */
  private async afterOriginal(delivery: string, original: InFlight): Promise<IntakeOutcome> {
    try {
      await original.write;
    } catch (error) {
      const first = original.delivery === delivery ? "its first arrival" : `its first arrival (as \`${original.delivery}\`)`;
      throw new Error(`delivery \`${delivery}\`: the inbox write of ${first} failed (${(error as Error).message}), so this redelivery is not stored either; redeliver it from Forgejo once the inbox can be written`, { cause: error });
    }
    return { status: "duplicate" };
  }
}
