import { describe, expect, it } from "vitest";
import type { LineSpan } from "../../src/inbox/delivery-log.js";
import { Intake } from "../../src/server/intake.js";
import { payload, testConfig } from "../helpers/server-harness.js";

// The worker waits for a quiet moment after the last delivery (lastReceivedAt, a monotonic clock).
describe("Intake: the time of the last delivery received", () => {
  it("moves forward with every delivery, a duplicate included, and is unset before the first", async () => {
    const inbox = { refusing: null, append: async (): Promise<LineSpan> => ({ start: 0, end: 0 }) };
    const intake = new Intake(inbox, { ids: new Set(), contents: new Set() }, testConfig("/nonexistent"), () => {}, () => Date.parse("2026-11-21T05:00:00Z"));
    expect(intake.lastReceivedAt).toBe(Number.NEGATIVE_INFINITY);
    const body = JSON.parse(await payload("synthesized/issues__label_updated.json")) as unknown;
    const headers = { delivery: "d-arrival", event: "issues", eventType: "issue_label", signature: "s" };
    const before = performance.now();
    await intake.receive(headers, body, "ab".repeat(32));
    const first = intake.lastReceivedAt;
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first).toBeLessThanOrEqual(performance.now());
    const beforeDuplicate = performance.now();
    expect(await intake.receive(headers, body, "ab".repeat(32))).toEqual({ status: "duplicate" });
    expect(intake.lastReceivedAt).toBeGreaterThanOrEqual(beforeDuplicate);
  });
});
