import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { deliveryRequest, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();
let server: TestServer;
const HEAD = "ef98532add3b2feb7a137426bba1248724367df5";
afterEach(async () => {
  await server?.cleanup();
});

describe("a push holding two bundles without candidate.issue", () => {
  it("gives each bundle's commit status its own context (Forgejo's combined status keeps only the latest status per context)", async () => {
    server = await startTestServer({}, { now: () => Date.parse("2026-11-21T12:00:00Z") });
    const green = await readFile(new URL("../../fixtures/examples/runtime-diagnostics.bundle.yaml", import.meta.url), "utf8");
    const red = green.replace("    status: pass\n    summary: gateway active", "    status: fail\n    summary: gateway active");
    expect(red).not.toBe(green);
    forgejo.fake.file(REPO, HEAD, "evidence/a/diag.bundle.yaml", red);
    forgejo.fake.file(REPO, HEAD, "evidence/b/diag.bundle.yaml", green);
    const raw = JSON.parse(await readFile(new URL("../../fixtures/forgejo/payloads/real/forgejo-push-fixture.json", import.meta.url), "utf8"));
    raw.repository.full_name = REPO;
    raw.sender.login = "iskra-bot";
    raw.after = HEAD;
    raw.commits = [{ id: HEAD, message: "evidence", added: ["evidence/a/diag.bundle.yaml", "evidence/b/diag.bundle.yaml"], modified: [], removed: [] }];
    const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "push", id: "d-two", body: JSON.stringify(raw, null, 2) }));
    expect(response.status).toBe(202);
    await server.worker.idle();
    const proposals = await verdictProposals(server.proposals);
    expect(proposals.map((p) => p.verdict.verdict).sort()).toEqual(["blocked", "eligible_repair_dry_run"]);
    const posts = proposals.map((p) => p.post as { kind: string; context: string; state: string });
    expect(posts.every((p) => p.kind === "status")).toBe(true);
    // Approving the blocked one, then the eligible one, leaves Forgejo showing patchwarden/gate: success.
    expect(new Set(posts.map((p) => p.context)).size).toBe(2);
  });
});
