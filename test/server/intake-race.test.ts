import { describe, expect, it } from "vitest";
import type { LineSpan } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";
import type { Logger } from "../../src/observability/logger.js";
import { GateMetrics } from "../../src/observability/metrics.js";
import { createApp } from "../../src/server/app.js";
import { Intake } from "../../src/server/intake.js";
import { deliveryRequest, payload, SECRET, testConfig } from "../helpers/server-harness.js";

/** An inbox whose every write stays in flight until the test settles it. */
function heldInbox() {
  const records: DeliveryRecord[] = [];
  const writes: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let wrote = () => {};
  const firstWrite = new Promise<void>((resolve) => (wrote = resolve));
  return {
    records,
    writes,
    firstWrite,
    refusing: null,
    append(record: DeliveryRecord): Promise<LineSpan> {
      records.push(record);
      wrote();
      // The span is the worker's business; these tests watch the answers.
      return new Promise<LineSpan>((resolve, reject) => writes.push({ resolve: () => resolve({ start: 0, end: 0 }), reject }));
    },
  };
}

const eio = () => Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
const headers = { delivery: "d-race", event: "issues", eventType: "issue_label", signature: "s" };
/** The payload's HMAC as the signature check hands it on; the same bytes under any delivery id. */
const HMAC = "ab".repeat(32);
const NOW = () => Date.parse("2026-11-21T05:00:00Z");

async function intakeWith() {
  const inbox = heldInbox();
  const seen = new Set<string>();
  const accepted: string[] = [];
  const intake = new Intake(inbox, { ids: seen, contents: new Set() }, testConfig("/nonexistent"), (delivery) => void accepted.push(delivery), NOW);
  const body = JSON.parse(await payload("synthesized/issues__label_updated.json")) as unknown;
  return { inbox, seen, accepted, intake, body };
}

/** Whether a promise has settled once everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("Intake: a redelivery racing its original", () => {
  it("is answered only once the original is on disk, and then as a duplicate", async () => {
    const { inbox, seen, accepted, intake, body } = await intakeWith();
    const original = intake.receive(headers, body, HMAC);
    const redelivery = intake.receive(headers, body, HMAC);
    expect(inbox.records).toHaveLength(1);
    expect(await settled(redelivery)).toBe(false);
    inbox.writes[0]!.resolve();
    expect(await original).toEqual({ status: "accepted", trigger: "label" });
    expect(await redelivery).toEqual({ status: "duplicate" });
    expect(accepted).toEqual(["d-race"]);
    expect(seen.has("d-race")).toBe(true);
    // Later ones are answered from memory, writing nothing.
    expect(await intake.receive(headers, body, HMAC)).toEqual({ status: "duplicate" });
    expect(inbox.records).toHaveLength(1);
  });

  it("fails with the original when the original's write fails, and a later one is written afresh", async () => {
    const { inbox, seen, accepted, intake, body } = await intakeWith();
    const original = intake.receive(headers, body, HMAC);
    const redelivery = intake.receive(headers, body, HMAC);
    expect(await settled(redelivery)).toBe(false);
    inbox.writes[0]!.reject(eio());
    await expect(original).rejects.toThrow(/^EIO/);
    await expect(redelivery).rejects.toThrow(/^delivery `d-race`: the inbox write of its first arrival failed \(EIO: i\/o error, write\), so this redelivery is not stored either; redeliver it from Forgejo/);
    expect(seen.has("d-race")).toBe(false);
    expect(accepted).toEqual([]);
    const later = intake.receive(headers, body, HMAC);
    expect(inbox.records).toHaveLength(2);
    inbox.writes[1]!.resolve();
    expect(await later).toEqual({ status: "accepted", trigger: "label" });
    expect(accepted).toEqual(["d-race"]);
  });
});

describe("Intake: a Forgejo redelivery (new delivery id, same signed bytes) racing its original", () => {
  const redelivered = { ...headers, delivery: "d-race-redelivered" };

  it("waits for the original's write, answers duplicate, and writes nothing", async () => {
    const { inbox, seen, accepted, intake, body } = await intakeWith();
    const original = intake.receive(headers, body, HMAC);
    const redelivery = intake.receive(redelivered, body, HMAC);
    expect(inbox.records).toHaveLength(1);
    expect(inbox.records[0]).toMatchObject({ delivery: "d-race", payload_hmac: HMAC });
    expect(await settled(redelivery)).toBe(false);
    inbox.writes[0]!.resolve();
    expect(await original).toEqual({ status: "accepted", trigger: "label" });
    expect(await redelivery).toEqual({ status: "duplicate" });
    expect(accepted).toEqual(["d-race"]);
    expect(seen.has("d-race-redelivered")).toBe(false);
    // Once stored, a third id with the same bytes is answered from memory.
    expect(await intake.receive({ ...headers, delivery: "d-race-third" }, body, HMAC)).toEqual({ status: "duplicate" });
    expect(inbox.records).toHaveLength(1);
  });

  it("fails with the original when the original's write fails, naming it", async () => {
    const { inbox, intake, body } = await intakeWith();
    const original = intake.receive(headers, body, HMAC);
    const redelivery = intake.receive(redelivered, body, HMAC);
    inbox.writes[0]!.reject(eio());
    await expect(original).rejects.toThrow(/^EIO/);
    await expect(redelivery).rejects.toThrow(/^delivery `d-race-redelivered`: the inbox write of its first arrival \(as `d-race`\) failed \(EIO: i\/o error, write\), so this redelivery is not stored either/);
    expect(inbox.records).toHaveLength(1);
  });

  it("is a new delivery when the bytes differ, or the same bytes come as another event", async () => {
    const { inbox, intake, body } = await intakeWith();
    const first = intake.receive(headers, body, HMAC);
    const otherBytes = intake.receive(redelivered, body, "cd".repeat(32));
    const otherEvent = intake.receive({ ...headers, delivery: "d-race-other-event", eventType: "issue_assign" }, body, HMAC);
    expect(inbox.records).toHaveLength(3);
    for (const write of inbox.writes) write.resolve();
    expect((await first).status).toBe("accepted");
    expect((await otherBytes).status).toBe("accepted");
    expect((await otherEvent).status).not.toBe("duplicate");
  });
});

describe("POST /webhooks/forgejo: a redelivery racing its original", () => {
  async function race(settle: (write: { resolve: () => void; reject: (error: Error) => void }) => void, redeliveryId = "d-race") {
    const { inbox, intake } = await intakeWith();
    const errors: string[] = [];
    const log: Logger = { info: () => {}, warn: () => {}, error: (_event, fields) => void errors.push(String(fields?.error)) };
    // Told when the redelivery has reached intake: from then on it waits on the original's write.
    const receive = intake.receive.bind(intake);
    let arrived = () => {};
    const redeliveryArrived = new Promise<void>((resolve) => (arrived = resolve));
    let calls = 0;
    intake.receive = (h, p, hmac) => {
      const outcome = receive(h, p, hmac);
      if (++calls === 2) arrived();
      return outcome;
    };
    const app = createApp({ intake, secret: SECRET, secretProblem: "", maxBodyBytes: 1 << 20, log, metrics: new GateMetrics({ defaultMetrics: false }), health: { version: "t", backlog: () => 0, policyDigest: () => "x" }, listenHost: "127.0.0.1", publicOrigin: undefined });
    const body = await payload("synthesized/issues__label_updated.json");
    const init = deliveryRequest({ event: "issues", type: "issue_label", id: "d-race", body });
    const original = app.request("/webhooks/forgejo", init);
    await inbox.firstWrite;
    const redelivery = app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: redeliveryId, body }));
    await redeliveryArrived;
    settle(inbox.writes[0]!);
    const [first, second] = await Promise.all([original, redelivery]);
    return { first, second, errors, inbox };
  }

  it("answers 202 duplicate once the original is stored", async () => {
    const { first, second, inbox } = await race((write) => write.resolve());
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await first.json()).toEqual({ delivery: "d-race", status: "accepted", trigger: "label" });
    expect(await second.json()).toEqual({ delivery: "d-race", status: "duplicate" });
    expect(inbox.records).toHaveLength(1);
  });

  it("answers 202 duplicate to a redelivery under a new id (Forgejo's Redeliver) once the original is stored", async () => {
    const { first, second, inbox } = await race((write) => write.resolve(), "d-race-redelivered");
    expect(await first.json()).toEqual({ delivery: "d-race", status: "accepted", trigger: "label" });
    expect(await second.json()).toEqual({ delivery: "d-race-redelivered", status: "duplicate" });
    expect(inbox.records).toHaveLength(1);
  });

  it("answers 500 to both when the original's write fails: nothing is acknowledged that is not stored", async () => {
    const { first, second, errors, inbox } = await race((write) => write.reject(eio()));
    expect([first.status, second.status]).toEqual([500, 500]);
    // Forgejo shows this answer on the delivery: the webhook keeps its own wording.
    expect(await second.json()).toEqual({ error: "internal", message: "the delivery could not be stored; Forgejo will show it as failed and it can be redelivered" });
    expect(errors).toEqual(["EIO: i/o error, write", expect.stringMatching(/^delivery `d-race`: the inbox write of its first arrival failed/)]);
    expect(inbox.records).toHaveLength(1);
  });
});
