import { afterEach, beforeEach, expect, it } from "vitest";
import { isWhatIf } from "../../src/queue/proposal.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { asVerdictProposal } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();
let server: TestServer;
let errors: string[];
beforeEach(async () => {
  errors = [];
  server = await startTestServer({}, { log: { info: () => {}, warn: () => {}, error: (event) => void errors.push(event) } });
});
afterEach(async () => {
  await server.cleanup();
  expect(forgejo.fake.violations).toEqual([]);
});

it("a pull request whose changed files Forgejo cannot list gets a blocked verdict and an unreadable what-if, and the job does not fail", async () => {
  forgejo.fake.issue(REPO, 2, { isPull: true, pullFiles: [{ filename: "policies/gate.toml", status: "modified" }] });
  const original = forgejo.fake.handle.bind(forgejo.fake);
  forgejo.fake.handle = async (request) => (new URL(request.url).pathname.endsWith("/pulls/2/files") ? Response.json({ message: "internal error" }, { status: 500 }) : original(request));
  const body = await payload("real/forgejo-codeberg-HookPullRequestUpdated.json", (p) => {
    p.repository.full_name = REPO;
    p.sender.login = "root";
    p.number = 2;
  });
  const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "pull_request", type: "pull_request_sync", id: "d-unlisted", body }));
  expect(await response.json()).toMatchObject({ status: "accepted" });
  await server.worker.idle();

  const proposals = await server.proposals.list();
  const [verdict, ...moreVerdicts] = proposals.filter((p) => !isWhatIf(p)).map(asVerdictProposal);
  expect(moreVerdicts).toEqual([]);
  expect(verdict).toMatchObject({ target: { kind: "pull", number: 2 }, verdict: { verdict: "blocked" } });
  const whatIfs = proposals.filter(isWhatIf);
  expect(whatIfs).toHaveLength(1);
  expect(whatIfs[0]!.what_if.problems).toEqual([expect.stringMatching(/^`policies\/\*\*\/\*\.toml`: the files root\/example-push#2 changed could not be listed \(.*answered 500\).*push again/)]);
  expect(errors).toEqual([]); // no job.failed: the job ended with its proposals, not `evaluation failed`
});
