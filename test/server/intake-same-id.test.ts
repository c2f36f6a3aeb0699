import { describe, expect, it } from "vitest";
import type { LineSpan } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";
import { Intake } from "../../src/server/intake.js";
import { payload, testConfig } from "../helpers/server-harness.js";

// A delivery id already on disk is a duplicate even when its payload differs: never two inbox
// lines (and two jobs) under one delivery id. The intake's contract:
// "a delivery is a duplicate when its id or its content is already on disk".
describe("Intake: a delivery id already on disk", () => {
  it("is answered duplicate even when the payload differs, and nothing more is written", async () => {
    const records: DeliveryRecord[] = [];
    const inbox = { refusing: null, append: async (record: DeliveryRecord): Promise<LineSpan> => (records.push(record), { start: 0, end: 0 }) };
    const accepted: string[] = [];
    const intake = new Intake(inbox, { ids: new Set(), contents: new Set() }, testConfig("/nonexistent"), (delivery) => void accepted.push(delivery), () => Date.parse("2026-11-21T05:00:00Z"));
    const label = JSON.parse(await payload("synthesized/issues__label_updated.json")) as unknown;
    const headers = { delivery: "d-same-id", event: "issues", eventType: "issue_label", signature: "s" };
    expect(await intake.receive(headers, label, "ab".repeat(32))).toMatchObject({ status: "accepted" });
    const other = JSON.parse(await payload("synthesized/issues__label_updated.json", (p) => (p.issue.number = 4))) as unknown;
    expect(await intake.receive(headers, other, "cd".repeat(32))).toEqual({ status: "duplicate" });
    expect(records).toHaveLength(1);
    expect(accepted).toEqual(["d-same-id"]);
  });
});
