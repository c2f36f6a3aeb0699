import { describe, expect, it } from "vitest";
import { isSafeDeliveryId, readDeliveryHeaders } from "../../src/forgejo/webhook-headers.js";

const from = (headers: Record<string, string>) => readDeliveryHeaders((name) => headers[name]);

describe("reading a delivery's headers", () => {
  it("takes Forgejo's own header over a twin that says otherwise", () => {
    const read = from({
      "x-forgejo-delivery": "forgejo-id",
      "x-gitea-delivery": "gitea-id",
      "x-forgejo-event": "push",
      "x-gitea-event": "issues",
      "x-forgejo-event-type": "push",
      "x-gitea-event-type": "issue_label",
      "x-forgejo-signature": "f".repeat(64),
      "x-gitea-signature": "a".repeat(64),
    });
    expect(read).toEqual({ delivery: "forgejo-id", event: "push", eventType: "push", signature: "f".repeat(64) });
  });

  it("falls back to a Gitea sender's headers when Forgejo's are absent", () => {
    const read = from({
      "x-gitea-delivery": "gitea-id",
      "x-gitea-event": "issues",
      "x-gitea-event-type": "issue_label",
      "x-gitea-signature": "a".repeat(64),
      "x-hub-signature-256": `sha256=${"b".repeat(64)}`,
    });
    expect(read).toEqual({ delivery: "gitea-id", event: "issues", eventType: "issue_label", signature: "a".repeat(64) });
  });

  it("reads a value without the blanks around it, and an empty one as absent", () => {
    expect(from({ "x-forgejo-delivery": "  abc-1 \t", "x-forgejo-event": " push ", "x-forgejo-signature": "", "x-gitea-signature": " c0ffee " })).toEqual({
      delivery: "abc-1",
      event: "push",
      eventType: undefined,
      signature: "c0ffee",
    });
  });
});

describe("a delivery id, which becomes a file name and a log key", () => {
  it("is accepted up to 100 characters, and refused at 101", () => {
    expect(isSafeDeliveryId("a".repeat(100))).toBe(true);
    expect(isSafeDeliveryId("a".repeat(101))).toBe(false);
  });

  it("must start with a letter or digit (no `.`, `-` or `_` first: no hidden or option-like names)", () => {
    for (const id of [".hidden", "..", "-rf", "_x"]) expect(isSafeDeliveryId(id), id).toBe(false);
    expect(isSafeDeliveryId("9a.b_c-d")).toBe(true);
  });

  it("holds nothing outside letters, digits, `.`, `_` and `-`", () => {
    for (const id of ["a/b", "a b", "a\nb", "a\u0000b", "ä"]) expect(isSafeDeliveryId(id), JSON.stringify(id)).toBe(false);
  });
});
