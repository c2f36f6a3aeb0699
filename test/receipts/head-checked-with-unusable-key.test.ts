import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkHeadSignature, makeHead } from "../../src/receipts/head-file.js";
import { GENESIS_HASH } from "../../src/receipts/receipt-schema.js";
import { signerFromKey, verifyWith } from "../../src/receipts/signing.js";

describe("checking a signature with a key that cannot verify signatures", () => {
  it("is no valid signature: the head is invalid, never valid", () => {
    const signer = signerFromKey(generateKeyPairSync("ed25519").privateKey);
    const head = makeHead(0, GENESIS_HASH, "2026-11-21T05:00:00.000Z", signer);
    // An X25519 key (key agreement only) filed under the head's key id.
    const { publicKey } = generateKeyPairSync("x25519");
    expect(verifyWith(publicKey, Buffer.from("message"), head.sig!)).toBe(false);
    expect(checkHeadSignature(head, new Map([[signer.keyId, publicKey]]))).toBe("invalid");
  });
});
