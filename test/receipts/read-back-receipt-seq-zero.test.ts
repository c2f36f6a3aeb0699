import { describe, expect, it } from "vitest";
import { decodeReceiptLine } from "../../src/receipts/read-receipts.js";
import { GENESIS_HASH } from "../../src/receipts/receipt-schema.js";
import { sealReceipt, validateDraft } from "../../src/receipts/seal.js";
import { rejection } from "./helpers.js";

const TIME = "2026-11-21T05:00:00.000Z";

function decoded(seq: number) {
  const { line } = sealReceipt(validateDraft(rejection(1)), { seq, time: TIME, prev: GENESIS_HASH });
  const buf = Buffer.from(line.slice(0, -1));
  return decodeReceiptLine(buf, 0, buf.length, 1, 0);
}

describe("reading a receipt line back", () => {
  it("shows a sealed receipt numbered 1 as intact", () => {
    expect(decoded(1)).toMatchObject({ ok: true, receipt: { seq: 1, kind: "proposal.rejected" } });
  });

  it("does not show a line numbered 0 as a receipt, even with an intact seal: receipts count from 1", () => {
    const read = decoded(0);
    expect(read.ok).toBe(false);
    expect(read.ok ? null : read.problem).toMatch(/^does not follow the receipt contract: receipt\.seq: /);
  });
});
