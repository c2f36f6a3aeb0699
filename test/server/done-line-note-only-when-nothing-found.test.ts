import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";

const forgejo = useFakeForgejo();
let dir: string;
let server: TestServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-done-note-"));
});
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function doneLines(): Promise<Array<{ delivery: string; proposals: string[]; note?: string }>> {
  const text = await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8");
  return text.trim().split("\n").map((line) => JSON.parse(line) as { type: string; delivery: string; proposals: string[]; note?: string }).filter((line) => line.type === "done");
}

describe("the done line of an evaluated delivery", () => {
  it("has no 'nothing found' note when an evidence bundle made a proposal, though no policy file changed", async () => {
    forgejo.fake.attach(forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    server = await startTestServer({}, { now: () => Date.parse("2026-11-21T12:00:00Z") }, dir);
    const body = await payload("synthesized/issues__label_updated.json");
    expect((await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-1", body }))).status).toBe(202);
    await server.worker.idle();
    await server.cleanup();
    server = undefined;
    const done = await doneLines();
    expect(done).toHaveLength(1);
    expect(done[0]!.delivery).toBe("d-1");
    expect(done[0]!.proposals).toHaveLength(1);
    expect(done[0]!.note).toBeUndefined();
  }, 30_000);
});
