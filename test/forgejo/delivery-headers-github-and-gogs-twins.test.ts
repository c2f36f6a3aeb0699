import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readDeliveryHeaders } from "../../src/forgejo/webhook-headers.js";
import { verifyWebhookSignature } from "../../src/forgejo/webhook-signature.js";

const from = (headers: Record<string, string>) => readDeliveryHeaders((name) => headers[name]);

describe("a delivery from a sender that only writes the Gogs or GitHub twins of Forgejo's headers", () => {
  it("takes the delivery id and event from the Gogs headers", () => {
    expect(from({ "x-gogs-delivery": "gogs-id", "x-gogs-event": "push", "x-gogs-event-type": "push", "x-gitea-signature": "a".repeat(64) })).toEqual({
      delivery: "gogs-id",
      event: "push",
      eventType: "push",
      signature: "a".repeat(64),
    });
  });

  it("takes the delivery id, event and signature from the GitHub headers", () => {
    const signature = `sha256=${"b".repeat(64)}`;
    expect(from({ "x-github-delivery": "github-id", "x-github-event": "issues", "x-github-event-type": "issue_label", "x-hub-signature-256": signature })).toEqual({
      delivery: "github-id",
      event: "issues",
      eventType: "issue_label",
      signature,
    });
  });

  it("a body signed only in X-Hub-Signature-256 verifies with the signature read from it", () => {
    const body = new TextEncoder().encode('{"ref":"refs/heads/main"}');
    const hex = createHmac("sha256", "s3cret").update(body).digest("hex");
    const read = from({ "x-hub-signature-256": `sha256=${hex}`, "x-hub-signature": "sha1=0000" });
    expect(read.signature).toBe(`sha256=${hex}`);
    expect(verifyWebhookSignature("s3cret", body, read.signature!)).toBe(true);
  });

  it("prefers Gitea's delivery id to the Gogs and GitHub ones, and Gogs' to GitHub's", () => {
    expect(from({ "x-gitea-delivery": "g1", "x-gogs-delivery": "g2", "x-github-delivery": "g3" }).delivery).toBe("g1");
    expect(from({ "x-gogs-delivery": "g2", "x-github-delivery": "g3" }).delivery).toBe("g2");
  });
});
