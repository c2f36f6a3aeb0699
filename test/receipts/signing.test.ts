import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHeadSignature, makeHead, readHead, writeHead } from "../../src/receipts/head-file.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { loadPublicKeys, loadSigner, writeSigningKeys } from "../../src/receipts/signing.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rehash, rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("signing");

async function signedLog(count: number) {
  const keysDir = join(await temp(), "keys");
  const written = await writeSigningKeys(keysDir);
  const signer = await loadSigner(written.privatePath);
  const log = await ReceiptLog.open(await temp(), { signer, clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(rejection(i));
  const keys = await loadPublicKeys([written.publicPath]);
  return { log, keys, written, signer };
}

describe("operator keys", () => {
  it("writes an ed25519 pair, the private half readable by its owner only, and never overwrites it", async () => {
    const dir = join(await temp(), "keys");
    const written = await writeSigningKeys(dir);
    expect((await stat(written.privatePath)).mode & 0o777).toBe(0o600);
    expect(await readFile(written.publicPath, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(written.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
    expect((await loadSigner(written.privatePath)).keyId).toBe(written.keyId);
    await expect(writeSigningKeys(dir)).rejects.toThrow(/receipt-signing\.key: already exists; keys are never overwritten/);
  });

  it("refuses a private key others can read, and files that are not ed25519 keys", async () => {
    const dir = join(await temp(), "keys");
    const written = await writeSigningKeys(dir);
    await chmod(written.privatePath, 0o644);
    await expect(loadSigner(written.privatePath)).rejects.toThrow(/readable by others \(mode 0644\); run `chmod 600/);
    const junk = join(dir, "junk.pem");
    await writeFile(junk, "not a key", { mode: 0o600 });
    await expect(loadSigner(junk)).rejects.toThrow(/not a PEM private key/);
    await expect(loadPublicKeys([junk])).rejects.toThrow(/not a PEM public key/);
    await expect(loadSigner(join(dir, "absent.key"))).rejects.toThrow(/cannot read the receipt signing key \(no such file\)/);
  });
});

describe("signed receipts, verified offline with the public key", () => {
  it("signs every receipt and the head; all verify", async () => {
    const { log, keys } = await signedLog(4);
    const report = await log.verify(keys);
    expect(report).toMatchObject({ ok: true, receipts: 4, signed: 4 });
    const head = await readHead(log.paths.head);
    expect(head.ok && head.head !== null && checkHeadSignature(head.head, keys)).toBe("valid");
  });

  it("names a receipt changed and re-hashed: its signature no longer verifies", async () => {
    const { log, keys } = await signedLog(4);
    const lines = (await readFile(log.paths.log, "utf8")).split("\n");
    const keptSig = lines[1]!.match(/,"sig":"[^"]*"/)![0];
    lines[1] = rehash(lines[1]!, (body) => (body["actor"] = "mallory")).replace(/}$/, `${keptSig}}`);
    await writeFile(log.paths.log, lines.join("\n"));
    expect((await log.verify(keys)).problem).toMatchObject({ kind: "bad_signature", seq: 2, message: expect.stringMatching(/^receipt 2's signature does not verify with ed25519:/) });
  });

  it("names a stripped signature, with or without the key", async () => {
    const { log, keys } = await signedLog(3);
    const text = await readFile(log.paths.log, "utf8");
    const lines = text.split("\n");
    lines[2] = lines[2]!.replace(/,"sig":"[^"]*"/, "");
    await writeFile(log.paths.log, lines.join("\n"));
    for (const report of [await log.verify(keys), await log.verify()]) {
      expect(report.problem).toMatchObject({ kind: "unsigned", seq: 3, message: expect.stringMatching(/names signing key ed25519:\w+ but carries no signature/) });
    }
  });

  it("names receipts signed by another key, and a log rewritten without any key", async () => {
    const { log } = await signedLog(2);
    const other = await loadPublicKeys([(await writeSigningKeys(join(await temp(), "other"))).publicPath]);
    expect((await verifyReceiptLog({ log: log.paths.log, head: null, requireHead: false, keys: other })).problem).toMatchObject({ kind: "unknown_key", seq: 1 });
    expect((await log.verify(other)).problem).toMatchObject({ kind: "unknown_key", seq: null, message: expect.stringMatching(/^receipts\.head is signed by ed25519:/) });

    const plain = await ReceiptLog.open(await temp(), { durable: false });
    await plain.append(rejection(1));
    const { keys } = await signedLog(1);
    expect((await plain.verify(keys)).problem).toMatchObject({ kind: "unsigned", seq: null, message: expect.stringMatching(/^receipts\.head is not signed/) });
    expect((await verifyReceiptLog({ log: plain.paths.log, head: null, requireHead: false, keys })).problem).toMatchObject({ kind: "unsigned", seq: 1 });
  });

  it("names an unsigned receipt appended after signed ones, when checked with the key", async () => {
    const { log, keys } = await signedLog(2);
    // A writer without the key refuses a signed head, so the head's signature is stripped first.
    const head = await readHead(log.paths.head);
    if (!head.ok || head.head === null) throw new Error("no head");
    await writeHead(log.paths.head, makeHead(head.head.seq, head.head.hash, head.head.time), false);
    const unsigned = await ReceiptLog.open(log.paths.dataDir, { durable: false });
    await unsigned.append(rejection(3));
    const withKey = await verifyReceiptLog({ log: log.paths.log, head: null, requireHead: false, keys });
    expect(withKey.problem).toMatchObject({ kind: "unsigned", seq: 3, message: expect.stringMatching(/receipt 3 is not signed/) });
    const withoutKey = await unsigned.verify();
    expect(withoutKey.ok).toBe(true);
    expect(withoutKey.notices.join("\n")).toMatch(/receipt 3 and later are unsigned although earlier receipts are signed/);
  });

  it("with --signatures head, trusts the signed head for what it covers and checks the rest one by one", async () => {
    const { log, keys } = await signedLog(4);
    const headOnly = await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true, keys, signatures: "head" });
    expect(headOnly).toMatchObject({ ok: true, receipts: 4 });
    // A receipt re-hashed under the head is still caught, by the chain the head's hash ties down.
    const lines = (await readFile(log.paths.log, "utf8")).split("\n");
    const keptSig = lines[1]!.match(/,"sig":"[^"]*"/)![0];
    const tampered = [...lines];
    tampered[1] = rehash(lines[1]!, (body) => (body["actor"] = "mallory")).replace(/}$/, `${keptSig}}`);
    await writeFile(log.paths.log, tampered.join("\n"));
    expect((await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true, keys, signatures: "head" })).problem).toMatchObject({ kind: "rewritten", seq: 2 });
    // A receipt after the head (a crash before the head moved) has its own signature checked.
    const oldHead = await readFile(log.paths.head);
    await writeFile(log.paths.log, lines.join("\n"));
    await log.append(rejection(5));
    await writeFile(log.paths.head, oldHead);
    const after = (await readFile(log.paths.log, "utf8")).split("\n");
    after[4] = after[4]!.replace(/,"sig":"[^"]*"/, `,"sig":"${"A".repeat(86)}=="`);
    await writeFile(log.paths.log, after.join("\n"));
    expect((await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true, keys, signatures: "head" })).problem).toMatchObject({ kind: "bad_signature", seq: 5 });
  });

  it("names a head whose signature does not verify", async () => {
    const { log, keys } = await signedLog(2);
    const head = JSON.parse(await readFile(log.paths.head, "utf8"));
    await writeFile(log.paths.head, JSON.stringify({ ...head, time: "2030-01-01T00:00:00.000Z" }));
    expect((await log.verify(keys)).problem).toMatchObject({ kind: "bad_signature", seq: null, message: "receipts.head has a signature that does not verify; it was changed after it was signed" });
  });
});
