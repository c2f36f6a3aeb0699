import { describe, expect, it } from "vitest";
import { ReceiptDraftError, validateDraft } from "../../src/receipts/seal.js";
import type { ReceiptDraft } from "../../src/receipts/receipt-schema.js";
import { rejection, verdictReceipt } from "./helpers.js";

function problemsOf(draft: unknown): string[] {
  try {
    validateDraft(draft as ReceiptDraft);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ReceiptDraftError);
    return (error as ReceiptDraftError).problems;
  }
}

const lockDraft = (repairTarget: unknown) => ({
  kind: "lock.acquired",
  actor: "alice",
  lock_id: "lk-000000000000",
  repair_target: repairTarget,
  owner: "alice",
  reason: "restart the gateway",
  expires_at: "2026-11-21T06:00:00Z",
});

describe("the receipt draft contract at its edges", () => {
  it("takes an actor of 64 characters and refuses one of 65", () => {
    expect(problemsOf({ ...rejection(1), actor: `a${"b".repeat(63)}` })).toEqual([]);
    expect(problemsOf({ ...rejection(1), actor: `a${"b".repeat(64)}` })).toEqual([expect.stringMatching(/^receipt\.actor: must be a login: letters, digits, `_`, `\.`, `-`, at most 64 characters/)]);
  });

  it("refuses an empty reason, where a receipt requires one and where it is optional", () => {
    expect(problemsOf({ ...rejection(1), reason: "" })).toEqual([expect.stringMatching(/^receipt\.reason: /)]);
    expect(problemsOf(lockDraft({ host: "iskra-1" }))).toEqual([]);
    expect(problemsOf({ ...lockDraft({ host: "iskra-1" }), reason: "" })).toEqual([expect.stringMatching(/^receipt\.reason: /)]);
  });

  it("refuses `every: true` beside a host or a service: every target is said alone", () => {
    expect(problemsOf(lockDraft({ every: true }))).toEqual([]);
    expect(problemsOf(lockDraft({ every: true, host: "iskra-1" }))).toEqual([expect.stringMatching(/^receipt\.repair_target: name a host, a service, or both; or `every: true` alone/)]);
    expect(problemsOf(lockDraft({ every: true, service: "openclaw-gateway" }))).toHaveLength(1);
  });

  it("refuses a repair target naming neither host nor service on any receipt that carries one", () => {
    expect(problemsOf({ ...verdictReceipt(1), repair_target: { service: "openclaw-gateway" } })).toEqual([]);
    expect(problemsOf({ ...verdictReceipt(1), repair_target: {} })).toEqual([expect.stringMatching(/^receipt\.repair_target: name a host, a service, or both/)]);
  });
});
