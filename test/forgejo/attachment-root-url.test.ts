import { readFile } from "node:fs/promises";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import type { Attachment } from "../../src/forgejo/webhook-payloads.js";
import { FakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";

// Forgejo writes browser_download_url as `{AppURL}attachments/{uuid}`: its [server] ROOT_URL, the
// public address. Patchwarden on the Forgejo host reaches the same instance at a local address (the
// documented default PATCHWARDEN_FORGEJO_URL is http://127.0.0.1:3000; here a stand-in internal
// name, since msw lets loopback through). The reader asks the configured Forgejo for
// `attachments/{uuid}`, and never the URL's own host.
const INTERNAL = "http://forgejo.internal:3000";
const ROOT_URL = "https://git.example.org";
const UUID = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
const REPO = "root/example-push";

let fake: FakeForgejo;
/** Every request that reached any host, with the token it carried. */
let seen: Array<{ url: string; authorization: string | null }>;
const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => {
  fake = new FakeForgejo(INTERNAL, ROOT_URL);
  seen = [];
  msw.resetHandlers(...fake.handlers());
  msw.events.removeAllListeners();
  msw.events.on("request:start", ({ request }) => void seen.push({ url: request.url, authorization: request.headers.get("authorization") }));
});
afterEach(() => expect(fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]));

const reader = (maxBytes = 1 << 20) => new ForgejoReader({ baseUrl: new URL(INTERNAL), token: "read-token", timeoutMs: 2000, maxBytes, fetch, retryDelayMs: 1 });
const asset = (over: Partial<Attachment> = {}): Attachment => ({ id: 7, name: "evidence-bundle.json", size: 2, uuid: UUID, browser_download_url: `${ROOT_URL}/attachments/${UUID}`, type: "attachment", ...over });

describe("attachments when PATCHWARDEN_FORGEJO_URL is not Forgejo's ROOT_URL", () => {
  it("reads an attachment whose URL Forgejo wrote with its ROOT_URL from the configured Forgejo, by its uuid", async () => {
    msw.use(http.get(`${INTERNAL}/attachments/${UUID}`, () => new HttpResponse("{}", { status: 200 })));
    const bytes = await reader().attachment(asset());
    expect(Buffer.from(bytes).toString()).toBe("{}");
    expect(seen).toEqual([{ url: `${INTERNAL}/attachments/${UUID}`, authorization: "token read-token" }]);
  });

  it("judges a bundle attached to an issue of such an instance, end to end", async () => {
    const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
    const attached = fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const job: IssueJob = { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" };
    const [unit, ...rest] = await fetchEvidence(reader(), job, { evidenceGlobs: [], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(rest).toEqual([]);
    expect(unit!.snapshot.origin).toBe(`${REPO}#3, attachment runtime-diagnostics.bundle.yaml`);
    expect(unit!.snapshot.problem).toBeUndefined();
    expect(unit!.snapshot.bundle).not.toBeNull();
    expect(fake.requests.map((r) => r.path)).toContain(`/attachments/${attached.uuid}`);
    expect(seen.every((r) => r.url.startsWith(`${INTERNAL}/`))).toBe(true);
  });

  it("never asks the host the download URL names, whatever it is (no SSRF), and sends the token nowhere else", async () => {
    msw.use(http.get(`${INTERNAL}/attachments/${UUID}`, () => new HttpResponse("{}", { status: 200 })));
    await reader().attachment(asset({ browser_download_url: "http://169.254.169.254/latest/meta-data" }));
    expect(seen.map((r) => r.url)).toEqual([`${INTERNAL}/attachments/${UUID}`]);
  });

  it("a sub-path install keeps its path: {PATCHWARDEN_FORGEJO_URL}/attachments/{uuid}", async () => {
    msw.use(http.get(`${INTERNAL}/forgejo/attachments/${UUID}`, () => new HttpResponse("{}", { status: 200 })));
    const subPath = new ForgejoReader({ baseUrl: new URL(`${INTERNAL}/forgejo`), token: "t", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 });
    expect(Buffer.from(await subPath.attachment(asset())).toString()).toBe("{}");
  });
});

describe("what the reader keeps refusing", () => {
  it("a redirect off the configured origin (object storage, [attachment] SERVE_DIRECT), before the token could follow it", async () => {
    msw.use(http.get(`${INTERNAL}/attachments/${UUID}`, () => new HttpResponse(null, { status: 303, headers: { location: `https://objects.example.org/attachments/${UUID}?X-Amz-Signature=x` } })));
    await expect(reader().attachment(asset())).rejects.toMatchObject({ failure: "foreign_origin", message: expect.stringMatching(/`https:\/\/objects\.example\.org` is not the configured Forgejo \(http:\/\/forgejo\.internal:3000\)/) });
    expect(seen.map((r) => r.url)).toEqual([`${INTERNAL}/attachments/${UUID}`]);
  });

  it("an attachment over the size limit", async () => {
    msw.use(http.get(`${INTERNAL}/attachments/${UUID}`, () => new HttpResponse("x".repeat(2048), { status: 200 })));
    await expect(reader(1024).attachment(asset())).rejects.toMatchObject({ failure: "too_large" });
  });

  it("an external attachment (a link Forgejo keeps to a file elsewhere), without a request", async () => {
    await expect(reader().attachment(asset({ type: "external", browser_download_url: "https://files.example.net/run.json" }))).rejects.toMatchObject({ failure: "foreign_origin", message: expect.stringMatching(/external attachment/) });
    expect(seen).toEqual([]);
  });

  it("an attachment without a uuid, or with one that is not a uuid (no path of its choosing), without a request", async () => {
    for (const uuid of [undefined, null, "", "../../api/v1/admin/users", `${UUID}/..`, `${UUID}?x=1`]) {
      await expect(reader().attachment(asset({ uuid }))).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/has no valid uuid/) });
    }
    expect(seen).toEqual([]);
  });

  it("an unreadable attachment blocks that bundle only, saying why", async () => {
    const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
    fake.attach(issue, "run.bundle.json", "{}");
    const original = fake.handle.bind(fake);
    fake.handle = async (request) => {
      const response = await original(request);
      if (new URL(request.url).pathname !== `/api/v1/repos/${REPO}/issues/3`) return response;
      const json = (await response.json()) as { assets: Array<{ type: string }> };
      json.assets[0]!.type = "external";
      return Response.json(json);
    };
    const job: IssueJob = { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" };
    const units = await fetchEvidence(reader(), job, { evidenceGlobs: [], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units.map((u) => u.snapshot)).toMatchObject([{ name: "run.bundle.json", bundle: null, problemCode: "bundle_unreadable", problem: expect.stringMatching(/external attachment/) }]);
  });
});
