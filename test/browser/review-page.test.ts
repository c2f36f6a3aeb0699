import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import type { Page } from "playwright-core";
import { openBrowser, type OpenBrowser } from "./chromium.js";

// Debian's chromium drives the real page over a real socket; Forgejo is msw's FakeForgejo.
const ALICE_TOKEN = "alice-review-token-0123456789abcdef";
const WRITE_TOKEN = "forgejo-write-token-7f3c1e9a5b";
const EXAMPLE_TIME = Date.parse("2026-11-21T12:00:00Z");

const forgejo = useFakeForgejo();

let server: TestServer | undefined;
let browser: OpenBrowser | undefined;

afterEach(async () => {
  // The browser first: Chromium keeps a preconnected socket open, and the server's close waits for it.
  await browser?.close();
  await server?.cleanup();
  browser = undefined;
  server = undefined;
  expect(forgejo.fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]);
});

/** A server on 127.0.0.1:0 and one proposal, made by a signed gate-label delivery over HTTP. */
async function serverWithProposal(env: Record<string, string>): Promise<{ url: string; id: string }> {
  server = await startTestServer(env, { now: () => EXAMPLE_TIME, listen: true });
  const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
  forgejo.fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
  const delivered = await fetch(`${server.url}/webhooks/forgejo`, deliveryRequest({ event: "issues", type: "issue_label", id: "d-browser", body: await payload("synthesized/issues__label_updated.json") }));
  expect(delivered.status).toBe(202);
  await server.worker.idle();
  const [proposal] = await server.proposals.list();
  expect(proposal).toMatchObject({ state: "pending", verdict: { verdict: "eligible_repair_dry_run" } });
  browser = await openBrowser();
  return { url: server.url!, id: proposal!.id };
}

/** Clicks a form's submit button and waits for the page it leads to; returns the POST's status. */
async function submit(page: Page, selector: string): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.waitForEvent("framenavigated"), page.click(selector)]);
  await page.waitForLoadState("load");
  return response.status();
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/review`);
  expect(new URL(page.url()).pathname).toBe("/review/login");
  await page.fill("#login", "alice");
  await page.fill("#token", ALICE_TOKEN);
  expect(await submit(page, "button:has-text('Sign in')")).toBe(303);
  expect(new URL(page.url()).pathname).toBe("/review");
}

describe("the review page in Chromium", () => {
  it("signs in, opens the proposal, approves with the write token, and exactly one comment reaches Forgejo", async () => {
    const { url, id } = await serverWithProposal({ PATCHWARDEN_REVIEW_TOKENS: `alice=${ALICE_TOKEN}` });
    const page = await browser!.context.newPage();
    await signIn(page, url);
    await expect(page.locator("header.top").innerText()).resolves.toContain("signed in as alice");
    await expect(page.locator("tr.pending .badge").innerText()).resolves.toContain("eligible");

    await Promise.all([page.waitForURL(`${url}/review/${id}`), page.click(`a[href="/review/${id}"]`)]);
    const proposal = await server!.proposals.require(id);
    expect(await page.locator("pre.comment").textContent()).toBe((proposal.post as { body: string }).body);

    forgejo.fake.writesAllowed = true;
    await page.fill("#write_token", WRITE_TOKEN);
    expect(await submit(page, "button.approve")).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/review/${id}`);
    await expect(page.locator("[role=status]").innerText()).resolves.toMatch(new RegExp(`^Posted ${id} \\(eligible_repair_dry_run\\)`));
    await expect(page.locator(".summary .state").first().innerText()).resolves.toBe("posted");
    expect(await page.content()).not.toContain(WRITE_TOKEN);

    expect(forgejo.fake.posted).toHaveLength(1);
    expect(forgejo.fake.posted[0]).toMatchObject({ repo: REPO, number: 3, body: (proposal.post as { body: string }).body });
    expect(await server!.proposals.require(id)).toMatchObject({ state: "posted", posted: { by: "alice" } });
    await expect(page.locator("table").filter({ hasText: "proposal.posted" }).innerText()).resolves.toContain("alice");
  });

  it("refuses (403) an approval posted without the form's CSRF token, and posts nothing", async () => {
    const { url, id } = await serverWithProposal({ PATCHWARDEN_REVIEW_TOKENS: `alice=${ALICE_TOKEN}` });
    const page = await browser!.context.newPage();
    await signIn(page, url);
    await page.goto(`${url}/review/${id}`);
    forgejo.fake.writesAllowed = true;
    // What a forged form would send: the session cookie rides along, the token cannot.
    await page.locator(`form[action="/review/${id}/approve"] input[name=csrf]`).evaluate((input) => input.remove());
    await page.fill("#write_token", WRITE_TOKEN);
    expect(await submit(page, "button.approve")).toBe(403);
    await expect(page.locator("main").innerText()).resolves.toContain("security token is missing");
    expect(forgejo.fake.posted).toHaveLength(0);
    expect(await server!.proposals.require(id)).toMatchObject({ state: "pending" });
  });

  it("without operator credentials shows the proposal read-only: no approve or reject form", async () => {
    const { url, id } = await serverWithProposal({});
    const page = await browser!.context.newPage();
    await page.goto(`${url}/review/${id}`);
    await expect(page.locator("h1").innerText()).resolves.toContain(`${REPO}#3`);
    await expect(page.locator("main").innerText()).resolves.toContain("Read-only: no operator credentials are configured");
    expect(await page.locator("form").count()).toBe(0);
    expect(await page.locator("input[name=write_token], textarea[name=reason]").count()).toBe(0);
  });
});
