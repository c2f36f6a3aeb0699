import { describe, expect, it } from "vitest";
import { GENESIS_HASH, MAX_RECEIPT_BYTES } from "../../src/receipts/receipt-schema.js";
import { ReceiptDraftError, sealReceipt, validateDraft } from "../../src/receipts/seal.js";
import { verdictReceipt } from "./helpers.js";

const ENVELOPE = { seq: 7, time: "2026-11-21T05:00:00.000Z", prev: GENESIS_HASH };

/** A verdict draft whose sealed line, newline included, is exactly `bytes` long. */
function draftOfLineSize(bytes: number) {
  const withCode = (length: number) => validateDraft({ ...verdictReceipt(1), reason_codes: ["a".repeat(length)] });
  const base = Buffer.byteLength(sealReceipt(withCode(1), ENVELOPE).line);
  return withCode(1 + bytes - base);
}

describe("the size limit of one receipt", () => {
  it("seals a receipt of exactly the limit, newline included", () => {
    const { line } = sealReceipt(draftOfLineSize(MAX_RECEIPT_BYTES), ENVELOPE);
    expect(Buffer.byteLength(line)).toBe(MAX_RECEIPT_BYTES);
  });

  it("refuses a receipt one byte over the limit, saying how long it is", () => {
    const draft = draftOfLineSize(MAX_RECEIPT_BYTES + 1);
    expect(() => sealReceipt(draft, ENVELOPE)).toThrow(ReceiptDraftError);
    expect(() => sealReceipt(draft, ENVELOPE)).toThrow(`receipt: ${MAX_RECEIPT_BYTES + 1} bytes, over the ${MAX_RECEIPT_BYTES}-byte limit of one receipt`);
  });
});
