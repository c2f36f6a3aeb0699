import { deliveryRoute } from "../forgejo/classify-delivery.js";
import type { DeliveryRecord } from "./delivery-record.js";

/**
 * What a delivery is, apart from its id: what its event headers ask for and the HMAC-SHA256 of its
 * payload. Forgejo's Redeliver (ReplayHookTask) sends the same bytes and event under a new
 * X-Forgejo-Delivery, and that id is not signed, so the id alone cannot recognise a redelivery or
 * a replay. The HMAC is the key because the signature check has already computed it: no second
 * hash per delivery, and under one secret it tells payloads apart as well as a SHA-256 would.
 * After a secret rotation the same payload has another HMAC, so a redelivery signed with the new
 * secret is evaluated again: its proposal supersedes the pending one, and nothing is lost.
 */
export function contentKey(event: string, eventType: string, payloadHmac: string): string {
  // join() builds one flat string; a template literal keeps a rope of four pieces for as long as
  // the key is remembered (every delivery since the last compaction).
  return [triggerOf(event, eventType), payloadHmac].join("/");
}

/**
 * The event headers as classifyDelivery reads them (deliveryRoute). Neither header is signed: were
 * the key to take them as sent, a captured delivery resent with another X-Forgejo-Event-Type (which
 * a comment or push never reads), or as `pull_request_comment` instead of `issue_comment`, would be
 * a new delivery asking for the same job, evaluated again and superseding the pending proposal.
 */
export function triggerOf(event: string, eventType: string): string {
  const route = deliveryRoute(event, eventType);
  // Not a trigger: ignored whatever the type, so a replay under another one asks for nothing.
  return typeof route === "string" ? route : `${route.other}/${eventType}`;
}

/** The content key an inbox line recorded; null for `done` lines and for lines written before it was recorded. */
export function recordContentKey(record: DeliveryRecord): string | null {
  if (record.type === "done" || record.payload_hmac === undefined) return null;
  return contentKey(record.event, record.event_type, record.payload_hmac);
}
