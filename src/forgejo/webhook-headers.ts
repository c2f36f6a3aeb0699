/** What Forgejo says about a delivery in its headers; it also sends Gitea/Gogs/GitHub twins of each. */
export interface DeliveryHeaders {
  delivery: string | undefined;
  /** Broad event: `issues`, `issue_comment`, `push`, `pull_request`, … */
  event: string | undefined;
  /** Exact type: `issue_label`, `pull_request_label`, `pull_request_sync`, … (Forgejo/Gitea only). */
  eventType: string | undefined;
  signature: string | undefined;
}

type HeaderReader = (name: string) => string | undefined;

// Forgejo's own header first; the twins only when it is absent (an older Gitea-compatible sender).
const DELIVERY = ["x-forgejo-delivery", "x-gitea-delivery", "x-gogs-delivery", "x-github-delivery"];
const EVENT = ["x-forgejo-event", "x-gitea-event", "x-gogs-event", "x-github-event"];
const EVENT_TYPE = ["x-forgejo-event-type", "x-gitea-event-type", "x-gogs-event-type", "x-github-event-type"];
const SIGNATURE = ["x-forgejo-signature", "x-gitea-signature", "x-hub-signature-256"];

export function readDeliveryHeaders(header: HeaderReader): DeliveryHeaders {
  return { delivery: first(header, DELIVERY), event: first(header, EVENT), eventType: first(header, EVENT_TYPE), signature: first(header, SIGNATURE) };
}

function first(header: HeaderReader, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = header(name);
    // Forgejo sends the signature headers empty when the hook has no secret: treat empty as absent.
    if (value !== undefined && value.trim() !== "") return value.trim();
  }
  return undefined;
}

/** Delivery ids become file names and log keys: only a safe, bounded alphabet is accepted. */
export function isSafeDeliveryId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id);
}
