import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";

// Neither event header is signed. For comments, pushes and pull-request syncs the classification never
// reads X-Forgejo-Event-Type, and it reads `issue_comment` and `pull_request_comment` alike: a replay
// under a new id with other such headers asks for the same job, and must be recognised as one.
const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  const issue = fake.issue(REPO, 3);
  fake.comment(issue, "root", "/patchwarden check");
});
afterEach(async () => server.cleanup());

const post = (init: RequestInit) => server.app.request("/webhooks/forgejo", init);

describe("a captured delivery replayed with an unsigned header changed", () => {
  it("is answered duplicate, not evaluated again, when only X-Forgejo-Event-Type differs", async () => {
    const body = await payload("synthesized/issue_comment__created.json", (p) => (p.comment.body = "/patchwarden check"));
    const original = await post(deliveryRequest({ event: "issue_comment", type: "issue_comment", id: "d-orig", body }));
    expect(await original.json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    // Same signed bytes, same event; a new id (as Forgejo's Redeliver) and an event type Forgejo never sends.
    for (const [id, type] of [
      ["d-replay-1", "issue_comment_x"],
      ["d-replay-2", "anything"],
    ] as const) {
      const replay = await post(deliveryRequest({ event: "issue_comment", type, id, body }));
      expect(await replay.json(), `replay ${id} with X-Forgejo-Event-Type \`${type}\``).toEqual({ delivery: id, status: "duplicate" });
    }
    // Without the event-type headers at all.
    const bare = await post(
      deliveryRequest({ event: "issue_comment", id: "d-replay-3", body, headers: { "x-forgejo-event-type": null } }),
    );
    expect(await bare.json()).toEqual({ delivery: "d-replay-3", status: "duplicate" });
    // As the pull-request twin of the event, which the classification reads alike.
    const twin = await post(deliveryRequest({ event: "pull_request_comment", type: "pull_request_comment", id: "d-replay-4", body }));
    expect(await twin.json()).toEqual({ delivery: "d-replay-4", status: "duplicate" });
    expect((await server.proposals.list()).map((p) => p.delivery?.id)).toEqual(["d-orig"]);
  });
});
