import { mkdir, readdir, readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { join } from "node:path";
import { fixture, REPO_ROOT } from "../helpers/paths.js";
import { deliveryRequest, payload, startTestServer } from "../helpers/server-harness.js";
import { openBrowser } from "./chromium.js";

// Renders the pictures in docs/images from a realistic queue. Run by hand after changing the page
// (PATCHWARDEN_SCREENSHOTS=1 npx vitest run test/browser/screenshots.test.ts); skipped otherwise so
// `npm test` never rewrites committed files.
const SHOOT = process.env["PATCHWARDEN_SCREENSHOTS"] === "1";

const REPO = "pdurlej/iskra-openclaw";
const OPERATOR = "pdurlej";
const OPERATOR_TOKEN = "pdurlej-review-token-5e0b6f1c2d";
const forgejo = new FakeForgejo("https://git.example.org");
const msw = startMsw(forgejo);
afterAll(() => msw.close());

describe.runIf(SHOOT)("review page screenshots for docs/images", () => {
  it("renders the list, a proposal, and the page on a phone", async () => {
    let now = Date.parse("2026-11-21T05:00:00Z");
    const server = await startTestServer(
      { PATCHWARDEN_FORGEJO_URL: forgejo.origin, PATCHWARDEN_REPOS: REPO, PATCHWARDEN_OPERATORS: OPERATOR, PATCHWARDEN_PRODUCERS: "iskra-bot", PATCHWARDEN_GATE_LABEL: "patchwarden/gate-check", PATCHWARDEN_REVIEW_TOKENS: `${OPERATOR}=${OPERATOR_TOKEN}` },
      { now: () => now, listen: true },
    );
    const deliver = async (id: string, file: string, edit: (p: Record<string, any>) => void, event: string, type: string) => {
      const body = await payload(file, (p) => {
        Object.assign(p.repository, { full_name: REPO, name: "iskra-openclaw", owner: { ...p.repository.owner, login: "pdurlej", username: "pdurlej" } });
        p.sender = { ...p.sender, login: OPERATOR, username: OPERATOR };
        edit(p);
      });
      expect((await fetch(`${server.url}/webhooks/forgejo`, deliveryRequest({ event, type, id, body }))).status).toBe(202);
      await server.worker.idle();
    };
    const label = (number: number, id: string) => deliver(id, "synthesized/issues__label_updated.json", (p) => Object.assign(p, { number }, { issue: { ...p.issue, number, labels: [{ ...p.issue.labels[0], name: "patchwarden/gate-check" }] } }), "issues", "issue_label");
    const kitRun = async (number: number, run: string) => {
      const issue = forgejo.issue(REPO, number, { labels: ["patchwarden/gate-check"] });
      const folder = fixture(`openclaw-runs/${run}`);
      for (const name of await readdir(folder)) forgejo.attach(issue, name, await readFile(`${folder}/${name}`));
    };
    const diagnostics = async (number: number) => {
      const issue = forgejo.issue(REPO, number, { labels: ["patchwarden/gate-check"] });
      forgejo.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    };

    // The night's safe-update kit runs: one green (an upgrade: needs a human), one without its attestation.
    await kitRun(40, "expired-attestation");
    await label(40, "d-40");
    await kitRun(41, "green");
    now += 2 * 60_000;
    await label(41, "d-41");
    const pull = forgejo.issue(REPO, 42, { isPull: true });
    for (const name of await readdir(fixture("openclaw-runs/blocked-no-attestation"))) forgejo.attach(pull, name, await readFile(fixture(`openclaw-runs/blocked-no-attestation/${name}`)));
    now += 3 * 60_000;
    await deliver("d-42", "synthesized/pull_request_comment__created.json", (p) => {
      p.issue.number = 42;
      p.pull_request.number = 42;
      p.comment.body = "/patchwarden check";
    }, "issue_comment", "pull_request_comment");
    // Late morning: Iskra's autoheal asks twice for read-only diagnostics.
    now = Date.parse("2026-11-21T11:58:00Z");
    await diagnostics(38);
    await label(38, "d-38");
    now = Date.parse("2026-11-21T12:04:00Z");
    await diagnostics(43);
    await label(43, "5c0ffee0-43"); // the delivery of the README's example, so the proposal ids match
    now = Date.parse("2026-11-21T12:06:00Z");
    const byIssue = new Map((await server.proposals.list()).map((p) => [p.target.kind === "commit" ? 0 : p.target.number, p.id]));
    expect([...byIssue.keys()].sort()).toEqual([38, 40, 41, 42, 43]);

    const desktop = await openBrowser({ width: 1280, height: 900 });
    try {
      const page = await desktop.context.newPage();
      await signIn(page, server.url!);
      // The earlier diagnostics were approved (posted), the expired run rejected: the list has a past.
      forgejo.writesAllowed = true;
      await page.goto(`${server.url}/review/${byIssue.get(38)}`);
      await page.fill("#write_token", "forgejo-write-token-for-the-picture");
      await submit(page, "button.approve");
      await page.goto(`${server.url}/review/${byIssue.get(40)}`);
      await page.fill("#reason", "attestation expired; asked Iskra to re-run the kit");
      await submit(page, "button.reject");
      now = Date.parse("2026-11-21T12:10:00Z");

      await mkdir(join(REPO_ROOT, "docs/images"), { recursive: true });
      await page.goto(`${server.url}/review`);
      await page.screenshot({ path: join(REPO_ROOT, "docs/images/review-list.png"), fullPage: true });
      await page.goto(`${server.url}/review/${byIssue.get(43)}`);
      await page.screenshot({ path: join(REPO_ROOT, "docs/images/review-detail.png"), clip: { x: 0, y: 0, width: 1280, height: 1500 }, fullPage: true });
    } finally {
      await desktop.close();
    }
    const phone = await openBrowser({ width: 390, height: 844 }, 2);
    try {
      const page = await phone.context.newPage();
      await signIn(page, server.url!);
      await page.goto(`${server.url}/review`);
      await page.screenshot({ path: join(REPO_ROOT, "docs/images/review-phone.png"), clip: { x: 0, y: 0, width: 390, height: 1300 }, fullPage: true });
    } finally {
      await phone.close();
      await server.cleanup();
    }
    expect(forgejo.posted).toHaveLength(1);
    expect(forgejo.violations).toEqual([]);
  });
});

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.waitForEvent("framenavigated"), page.click(selector)]);
  await page.waitForLoadState("load");
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/review/login`);
  await page.fill("#login", OPERATOR);
  await page.fill("#token", OPERATOR_TOKEN);
  await submit(page, "button:has-text('Sign in')");
}
