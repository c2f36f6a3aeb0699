import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import type { VerdictProposal } from "../../src/queue/proposal.js";
import type { ProposalTarget } from "../../src/queue/proposal-target.js";
import { proposeVerdict } from "../../src/queue/propose-verdict.js";
import { trustHooks } from "../../src/receipts/proposal-recorder.js";
import { fixture } from "../helpers/paths.js";
import { REPO, type TestServer } from "../helpers/server-harness.js";

export const ALICE_TOKEN = "alice-review-token-0123456789abcdef";
export const BOB_TOKEN = "bob-review-token-0123456789abcdef0000";
export const TOKENS = `alice=${ALICE_TOKEN},bob=${BOB_TOKEN}`;
export const EXAMPLE_TIME = Date.parse("2026-11-21T12:00:00Z");

/** A browser in miniature over app.request(): keeps cookies, sends what a same-origin form sends. */
export class Client {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: TestServer["app"]) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: "GET", headers });
  }

  /** `headers` override the browser's; null drops one. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string | null> = {}): Promise<Response> {
    const merged: Record<string, string | null> = { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost", "sec-fetch-site": "same-origin", ...headers };
    const sent = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null));
    return this.send(path, { method: "POST", headers: sent, body: new URLSearchParams(fields).toString() });
  }

  /** Signs in through the form, as a person would. */
  async signIn(login = "alice", token = ALICE_TOKEN): Promise<Response> {
    const form = await this.get("/review/login");
    return this.post("/review/login", { csrf: hidden(await form.text(), "csrf"), login, token });
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await this.app.request(path, { ...init, headers: { ...(cookie !== "" ? { cookie } : {}), ...init.headers } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** The value of a hidden field, as the page renders it (the first one with that name, optionally inside a form posting to `action`). */
export function hidden(html: string, name: string, action?: string): string {
  const scope = action === undefined ? html : (html.split(`action="${action}"`)[1] ?? "");
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(scope);
  if (match === null) throw new Error(`no hidden field \`${name}\`${action ? ` in the form posting to ${action}` : ""}`);
  return match[1]!;
}

/** Judges a bundle into the server's own queue with the server's receipts, as the worker would after a delivery. */
export async function propose(server: TestServer, snapshot: EvidenceSnapshot | string, options: { target?: ProposalTarget; now?: number; seed?: string } = {}): Promise<VerdictProposal> {
  const snap = typeof snapshot === "string" ? await readEvidenceSnapshot(fixture(snapshot)) : snapshot;
  const seed = options.seed ?? `d-${Math.random().toString(16).slice(2)}`;
  const now = options.now ?? EXAMPLE_TIME;
  return proposeVerdict(snap, options.target ?? { repo: REPO, kind: "issue", number: 3 }, { trigger: "label", delivery: { id: seed, event: "issues" }, idSeed: seed }, {
    evidence: new EvidenceStore(server.dataDir),
    proposals: server.proposals,
    policy: await readPolicy(),
    now,
    actor: "patchwarden",
    outputs: new Set(["queue"]),
    printLine: () => {},
    ...trustHooks(server.receipts, server.locks, () => now, { actor: "patchwarden" }),
  });
}
