import { describe, expect, it } from "vitest";
import type { LineSpan } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";
import { Intake } from "../../src/server/intake.js";
import { payload, testConfig } from "../helpers/server-harness.js";

/** An inbox whose writes stay in flight until the test settles them. */
function heldInbox() {
  const records: DeliveryRecord[] = [];
  const writes: Array<() => void> = [];
  return {
    records,
    writes,
    refusing: null,
    append(record: DeliveryRecord): Promise<LineSpan> {
      records.push(record);
      return new Promise<LineSpan>((resolve) => writes.push(() => resolve({ start: 0, end: 0 })));
    },
  };
}

describe("Intake: a second delivery under the id of one still being written", () => {
  it("waits for the first write and is answered duplicate, though its payload differs: one inbox line per delivery id", async () => {
    const inbox = heldInbox();
    const accepted: string[] = [];
    const intake = new Intake(inbox, { ids: new Set(), contents: new Set() }, testConfig("/nonexistent"), (delivery) => void accepted.push(delivery), () => Date.parse("2026-11-21T05:00:00Z"));
    const headers = { delivery: "d-same-id-racing", event: "issues", eventType: "issue_label", signature: "s" };
    const first = JSON.parse(await payload("synthesized/issues__label_updated.json")) as unknown;
    const second = JSON.parse(await payload("synthesized/issues__label_updated.json", (p) => (p.issue.number = 4))) as unknown;
    const original = intake.receive(headers, first, "ab".repeat(32));
    const again = intake.receive(headers, second, "cd".repeat(32));
    await new Promise((resolve) => setImmediate(resolve));
    expect(inbox.records).toHaveLength(1);
    for (const settle of inbox.writes) settle();
    expect(await original).toMatchObject({ status: "accepted" });
    expect(await again).toEqual({ status: "duplicate" });
    expect(inbox.records.map((r) => r.delivery)).toEqual(["d-same-id-racing"]);
    expect(accepted).toEqual(["d-same-id-racing"]);
  });
});
