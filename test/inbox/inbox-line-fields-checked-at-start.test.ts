import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import { InboxDamagedError } from "../../src/inbox/inbox-damaged-error.js";

const AT = "2026-11-21T05:00:00.000Z";
const job = { trigger: "label", repo: "root/example", number: 3, isPull: false, sender: "root" };
const accepted = (delivery: string, extra: Record<string, unknown> = {}) => ({ type: "accepted", delivery, received_at: AT, event: "issues", event_type: "issue_label", job, ...extra });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-line-fields-"));
  await mkdir(join(dir, "inbox"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const file = () => join(dir, "inbox", "deliveries.jsonl");

async function startWith(second: Record<string, unknown>): Promise<unknown> {
  await writeFile(file(), `${JSON.stringify(accepted("first"))}\n${JSON.stringify(second)}\n`);
  try {
    const { log } = await DeliveryLog.open(dir);
    await log.close();
    return "started";
  } catch (error) {
    return error;
  }
}

describe("inbox lines whose fields cannot be trusted stop the start, naming the line", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["an accepted line without its job", (({ job: _job, ...rest }) => rest)(accepted("no-job"))],
    ["an accepted line whose job has no trigger", accepted("no-trigger", { job: { repo: "root/example" } })],
    ["a done line whose `failed` is not a boolean", { type: "done", delivery: "first", at: AT, proposals: [], failed: "true" }],
    ["a done line whose proposals are not a list of ids", { type: "done", delivery: "first", at: AT, proposals: "p-1" }],
    ["a payload_hmac one hex digit short", accepted("short-hmac", { payload_hmac: "a".repeat(63) })],
    ["a payload_hmac in upper-case hex", accepted("upper-hmac", { payload_hmac: "A".repeat(64) })],
  ];
  for (const [what, line] of cases) {
    it(`refuses ${what}`, async () => {
      const outcome = await startWith(line);
      expect(outcome).toBeInstanceOf(InboxDamagedError);
      expect((outcome as InboxDamagedError).line).toBe(2);
      expect((outcome as Error).message).toContain(`${file()}: line 2 is not a delivery record`);
    });
  }
});
