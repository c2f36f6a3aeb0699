import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { contentKey, triggerOf } from "../../src/inbox/content-key.js";
import { fixture } from "../helpers/paths.js";

const EVENTS = ["issues", "pull_request", "issue_comment", "pull_request_comment", "push", "release", "create", ""];
const TYPES = ["issue_label", "pull_request_label", "issues", "pull_request", "issue_comment", "pull_request_comment", "pull_request_sync", "push", "label_updated", "", "x"];

interface Delivery {
  name: string;
  payload: Record<string, any>;
}

/** Every real and synthesized payload, a comment's body made the check command, so that each trigger makes a job. */
async function deliveries(): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const folder of ["real", "synthesized"]) {
    const dir = fixture(join("forgejo", "payloads", folder));
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json") && !n.endsWith(".headers.json"))) {
      const payload = JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, any>;
      if (payload["comment"] !== undefined) payload["comment"].body = "/patchwarden check";
      out.push({ name, payload });
    }
  }
  return out;
}

/** Rules under which the payload's own repository, sender and first label ask for a check. */
function rulesFor(payload: Record<string, any>): TriggerRules {
  const login: string = payload["sender"]?.login ?? payload["pusher"]?.login ?? "root";
  const labels: Array<{ name: string }> = payload["issue"]?.labels ?? payload["pull_request"]?.labels ?? [];
  return { repos: new Set([payload["repository"]?.full_name ?? ""]), operators: new Set([login]), producers: new Set([login]), gateLabel: labels[0]?.name ?? "gate", evidenceGlobs: ["**"], policyGlobs: [] };
}

/** What a delivery asks for: its job, or nothing. */
function outcome(event: string, type: string, { payload }: Delivery): string {
  const classified = classifyDelivery({ delivery: "d-1", event, eventType: type, signature: undefined }, payload, rulesFor(payload));
  return classified.kind === "job" ? JSON.stringify(classified.job) : "nothing";
}

describe("the content key reads the unsigned event headers as the classification does", () => {
  it("is the same for every header pair that asks for the same job, and differs where the jobs differ", async () => {
    const all = await deliveries();
    let jobs = 0;
    for (const delivery of all) {
      const pairs = EVENTS.flatMap((event) => TYPES.map((type) => ({ event, type, asks: outcome(event, type, delivery), key: triggerOf(event, type) })));
      for (const a of pairs) {
        if (a.asks === "nothing") continue;
        jobs++;
        for (const b of pairs) {
          // A replay asking for the same job under other headers is a duplicate…
          if (b.asks === a.asks) expect(b.key, `${delivery.name}: ${a.event}/${a.type} and ${b.event}/${b.type}`).toBe(a.key);
          // …and one key never stands for two different jobs.
          if (b.key === a.key) expect(b.asks, `${delivery.name}: ${a.event}/${a.type} and ${b.event}/${b.type}`).toBe(a.asks);
        }
      }
    }
    // Each trigger made jobs: label, pull label, comment, pull request, push.
    expect(jobs).toBeGreaterThan(50);
  });

  it("keeps recognising lines an older version wrote with the headers as sent", () => {
    const hmac = "ab".repeat(32);
    expect(contentKey("issue_comment", "issue_comment", hmac)).toBe(contentKey("pull_request_comment", "", hmac));
    expect(contentKey("push", "push", hmac)).toBe(contentKey("push", "anything", hmac));
    expect(contentKey("issues", "issue_label", hmac)).not.toBe(contentKey("issues", "issues", hmac));
    expect(contentKey("pull_request", "pull_request_label", hmac)).not.toBe(contentKey("pull_request", "pull_request_sync", hmac));
  });
});
