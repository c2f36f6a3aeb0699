import { readFile } from "node:fs/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";

// PATCHWARDEN_OUTPUT=stdout: `serve` writes one JSON line per proposal to stdout (the journal, a
// terminal), escaped as the log is (observability/safe-json.ts): a producer's text must not forge a
// line or send an escape sequence.
const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("serve's stdout proposal line", () => {
  it("writes no raw line-forging or terminal-control character that a bundle's text held", async () => {
    server = await startTestServer({ PATCHWARDEN_OUTPUT: "stdout" }, { now: () => Date.parse("2026-11-21T12:00:00Z") });
    const bundle = (await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")).replace(
      "summary: Collect doctor lint and health output after the gateway answered 503 for four minutes",
      'summary: "Collect doctor output\\u2028{\\"level\\":\\"info\\",\\"event\\":\\"forged\\"}\\N\\u009b31m red"',
    );
    const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
    fake.attach(issue, "diag.bundle.yaml", Buffer.from(bundle));
    const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-stdout", body: await payload("synthesized/issues__label_updated.json") }));
    expect(await response.json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    expect(server.printed).toHaveLength(1);
    const line = server.printed[0]!;
    // The bundle was read (its summary is in the proposal), and the line is still one JSON value.
    expect(JSON.parse(line).verdict.candidate_summary).toContain("forged");
    expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true);
    expect(RAW_UNSAFE.exec(line)?.[0].codePointAt(0)?.toString(16)).toBeUndefined();
  });
});
