import { describe, expect, it } from "vitest";
import { httpSurface } from "../helpers/http-surface.js";
import { deliveryRequest } from "../helpers/server-harness.js";

describe("a refused delivery's answer says what was wrong with it", () => {
  it("names a missing content type as `(none)`, not as an empty quotation", async () => {
    const { post, received } = httpSurface();
    const init = deliveryRequest({ event: "release", id: "no-type", body: "{}", headers: { "content-type": null } });
    const response = await post({ ...init, body: new Blob(["{}"]) });
    expect(response.status).toBe(415);
    const { error, message } = (await response.json()) as { error: string; message: string };
    expect(error).toBe("unsupported_media_type");
    expect(message).toBe("content type `(none)` is not a Forgejo delivery; set the hook's content type to application/json");
    expect(received).toEqual([]);
  });

  it("says what a delivery id may hold when the header is not one", async () => {
    const { post, received } = httpSurface();
    const response = await post(deliveryRequest({ event: "release", id: "has space", body: "{}" }));
    expect(response.status).toBe(400);
    const { error, message } = (await response.json()) as { error: string; message: string };
    expect(error).toBe("bad_delivery_id");
    expect(message).toContain("letters, digits, `-`, `.`, `_`; at most 100");
    expect(received).toEqual([]);
  });
});
