import { createHash, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { checkLine, readSeq } from "../../src/receipts/line-facts.js";
import { GENESIS_HASH, receiptSchema } from "../../src/receipts/receipt-schema.js";
import { ReceiptDraftError, sealReceipt, validateDraft } from "../../src/receipts/seal.js";
import { signerFromKey } from "../../src/receipts/signing.js";
import { rejection, verdictReceipt } from "./helpers.js";

const ENVELOPE = { seq: 7, time: "2026-11-21T05:00:00.000Z", prev: GENESIS_HASH };

function lineBuffer(line: string): Buffer {
  return Buffer.from(line.endsWith("\n") ? line.slice(0, -1) : line);
}

describe("sealing a receipt", () => {
  it("writes the canonical body with the hash appended last, and the hash is sha256 of the body", () => {
    const { receipt, line } = sealReceipt(validateDraft(rejection(1)), ENVELOPE);
    expect(line.endsWith(`,"hash":"${receipt.hash}"}\n`)).toBe(true);
    const { hash: _hash, ...body } = receipt;
    const bodyJson = canonicalJson(body);
    expect(line).toBe(`${bodyJson.slice(0, -1)},"hash":"${receipt.hash}"}\n`);
    expect(receipt.hash).toBe(`sha256:${createHash("sha256").update(bodyJson).digest("hex")}`);
    // What docs/operations/audit-and-locks.md tells an operator to run, by hand: sed 's/,"hash".*$/}/'.
    const byHand = line.trimEnd().replace(/,"hash".*$/, "}");
    expect(`sha256:${createHash("sha256").update(byHand).digest("hex")}`).toBe(receipt.hash);
  });

  it("gives byte-identical lines for the same draft and envelope", () => {
    expect(sealReceipt(validateDraft(verdictReceipt(3)), ENVELOPE).line).toBe(sealReceipt(validateDraft(verdictReceipt(3)), ENVELOPE).line);
  });

  it("reads back as a receipt that follows the contract", () => {
    const { line } = sealReceipt(validateDraft(verdictReceipt(3)), ENVELOPE);
    const parsed = receiptSchema.parse(JSON.parse(line));
    expect(parsed).toMatchObject({ kind: "verdict", seq: 7, prev: GENESIS_HASH, schema: "patchwarden.receipt.v1", repair_target: { host: "iskra-1" } });
  });

  it("signs the hash, with the key id inside the hashed body", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const signer = signerFromKey(privateKey);
    const { receipt, line } = sealReceipt(validateDraft(rejection(2)), ENVELOPE, signer);
    expect(receipt.key_id).toBe(signer.keyId);
    expect(line).toMatch(/,"hash":"sha256:[0-9a-f]{64}","sig":"[A-Za-z0-9+/]{86}=="}\n$/);
    expect(verify(null, Buffer.from(receipt.hash), publicKey, Buffer.from(receipt.sig!, "base64"))).toBe(true);
    expect(line.indexOf('"key_id"')).toBeLessThan(line.indexOf('"hash"'));
  });

  it("refuses drafts that break the contract, naming every problem path first", () => {
    const bad = { ...rejection(1), actor: "not a login", seq: 3 } as unknown as Parameters<typeof validateDraft>[0];
    expect(() => validateDraft(bad)).toThrow(ReceiptDraftError);
    try {
      validateDraft(bad);
    } catch (error) {
      const problems = (error as ReceiptDraftError).problems;
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^receipt\.actor: must be a login/), expect.stringMatching(/^receipt\.seq: unknown key `seq`/)]));
    }
    expect(() => validateDraft({ kind: "lock.acquired", actor: "alice", lock_id: "lk-000000000000", repair_target: {}, owner: "alice", reason: "r", expires_at: "2026-11-21T06:00:00Z" })).toThrow(
      /repair_target: name a host, a service, or both/,
    );
  });

  it("refuses a receipt larger than one receipt may be", () => {
    const draft = validateDraft({ ...verdictReceipt(1), reason_codes: Array.from({ length: 200 }, (_, i) => `code_${"x".repeat(80)}_${i}`) });
    expect(() => sealReceipt(draft, ENVELOPE)).toThrow(/over the 16384-byte limit/);
  });
});

describe("checking a line on its bytes", () => {
  it("finds seq, prev, hash, key id and signature, and leaves the buffer as it was", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const { receipt, line } = sealReceipt(validateDraft(rejection(2)), { ...ENVELOPE, seq: 123456 }, signerFromKey(privateKey));
    const buf = lineBuffer(line);
    const before = Buffer.from(buf);
    const check = checkLine(buf, 0, buf.length);
    expect(check).toEqual({ ok: true, facts: { seq: 123456, prev: GENESIS_HASH, hash: receipt.hash, keyId: receipt.key_id, sig: receipt.sig } });
    expect(buf.equals(before)).toBe(true);
    expect(readSeq(buf, 0, buf.length)).toBe(123456);
  });

  it("checks a line in the middle of a larger buffer without reading past it", () => {
    const a = sealReceipt(validateDraft(rejection(1)), { ...ENVELOPE, seq: 1 }).line;
    const b = sealReceipt(validateDraft(rejection(2)), { ...ENVELOPE, seq: 2 }).line;
    const buf = Buffer.from(a + b);
    const check = checkLine(buf, a.length, a.length + b.length - 1);
    expect(check.ok && check.facts.seq).toBe(2);
  });

  it("names a changed byte anywhere in the body as a changed receipt", () => {
    const { line } = sealReceipt(validateDraft(rejection(1)), ENVELOPE);
    for (const at of [2, 10, line.indexOf('"seq"') + 6, line.indexOf('"hash"') - 3]) {
      const buf = lineBuffer(line);
      buf[at] = buf[at] === 0x61 ? 0x62 : 0x61;
      const check = checkLine(buf, 0, buf.length);
      expect(check.ok, `byte ${at}`).toBe(false);
    }
  });

  it("tells a damaged seal from a changed body", () => {
    const { line } = sealReceipt(validateDraft(rejection(1)), ENVELOPE);
    const cases: Array<[string, string]> = [
      [line.replace('"hash":"sha256:', '"hash":"sha512:'), "malformed"],
      [line.replace(/"}\n$/, '","x":1}\n'), "malformed"],
      [line.replace("not now", "not new"), "changed"],
      ["not json at all", "malformed"],
    ];
    for (const [text, kind] of cases) {
      const buf = lineBuffer(text);
      const check = checkLine(buf, 0, buf.length);
      expect(check.ok ? "ok" : check.kind, text.slice(0, 60)).toBe(kind);
    }
  });
});
