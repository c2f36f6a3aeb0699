import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { appendFile, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { keyIdOf, signerFromKey } from "../../src/receipts/signing.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rehash, rejection, steppingClock, tempDirs } from "./helpers.js";

/**
 * Receipts after the head are vouched for by no head yet (the head one append behind is a crash
 * window a writer accepts). A signing writer signs a new head over them at its next append, so it
 * first checks that each was written with its key: the receipt names the key, and its signature is
 * the one the key makes of its hash (ed25519 is deterministic). Otherwise `verify --signatures head`
 * would later pass a receipt that anyone able to append a line made up.
 */
const temp = tempDirs("unsigned-after-head");
const attempt = (run: () => Promise<unknown>) => run().then(() => "appended", (error: Error) => `${error.name}: ${error.message}`);

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { signer: signerFromKey(privateKey), keys: new Map<string, KeyObject>([[keyIdOf(publicKey), publicKey]]) };
}

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, "utf8")).split("\n").filter(Boolean);
}

/** Receipt 4 as someone with write access but without the key would append it after receipt 3. */
async function forgedFourth(log: ReceiptLog, seal: (line: string) => string): Promise<void> {
  const third = (await lines(log.paths.log))[2]!;
  const forged = rehash(third, (body) => {
    body["seq"] = 4;
    body["prev"] = (JSON.parse(third) as { hash: string }).hash;
    body["reason"] = "forged: rejected by alice";
  });
  await appendFile(log.paths.log, `${seal(forged)}\n`);
}

/** Written without any key: no `key_id` in the body, no `sig`. */
const withoutKey = (line: string) => rehash(line, (body) => void delete body["key_id"]);

async function signedLog() {
  const { signer, keys } = keyPair();
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer, durable: false });
  for (let n = 1; n <= 3; n++) await log.append(rejection(n));
  return { signer, keys, dataDir, log };
}

describe("a signing writer and receipts after its head", () => {
  it("refuses one that names its key but carries a made-up signature, so verify --signatures head still fails on it", async () => {
    const { signer, keys, dataDir, log } = await signedLog();
    await forgedFourth(log, (line) => line.replace(/}$/, `,"sig":"${"A".repeat(86)}=="}`));
    const appended = await attempt(async () => (await ReceiptLog.open(dataDir, { signer, durable: false })).append(rejection(5)));
    expect(appended).toMatch(
      new RegExp(`^ReceiptLogDamagedError: .*receipts\\.jsonl: line 4: receipt 4 comes after receipt 3, the last one receipts\\.head vouches for, and carries a signature that ${signer.keyId} did not make; it was appended without the key \\(\`patchwarden receipts verify --public-key receipt-signing\\.pub\` names it\\)`),
    );
    expect((await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true, keys, signatures: "head" })).problem).toMatchObject({ kind: "bad_signature", seq: 4 });
  });

  it("refuses an unsigned one, and one signed with another key", async () => {
    const unsigned = await signedLog();
    await forgedFourth(unsigned.log, withoutKey);
    expect(await attempt(async () => (await ReceiptLog.open(unsigned.dataDir, { signer: unsigned.signer, durable: false })).append(rejection(5)))).toMatch(
      /^ReceiptLogDamagedError: .*receipt 4 comes after receipt 3, the last one receipts\.head vouches for, and is not signed, but this log is signed with ed25519:[0-9a-f]{16}; it was appended without the key/,
    );

    const other = await signedLog();
    const stranger = keyPair().signer;
    await forgedFourth(other.log, (line) => {
      // Signed, validly, by a key that is not the log's: key_id is part of the hashed body.
      const body = JSON.parse(line) as Record<string, unknown>;
      const resealed = rehash(line, (b) => void (b["key_id"] = stranger.keyId));
      const hash = (JSON.parse(resealed) as { hash: string }).hash;
      expect(body["seq"]).toBe(4);
      return resealed.replace(/}$/, `,"sig":"${stranger.sign(Buffer.from(hash, "latin1"))}"}`);
    });
    expect(await attempt(async () => (await ReceiptLog.open(other.dataDir, { signer: other.signer, durable: false })).append(rejection(5)))).toMatch(
      new RegExp(`^ReceiptLogDamagedError: .*receipt 4 comes after receipt 3, .* and names key ${stranger.keyId}, not ${other.signer.keyId}, the key this process signs with`),
    );
  });

  it("a long-lived writer checks a line appended after its own last receipt the same way", async () => {
    const { signer, log } = await signedLog();
    await forgedFourth(log, withoutKey);
    expect(await attempt(() => log.append(rejection(5)))).toMatch(/^ReceiptLogDamagedError: .*receipts\.jsonl: receipt 4 comes after receipt 3, .*is not signed, but this log is signed with/);
    expect((await lines(log.paths.log)).length).toBe(4);
    expect(JSON.parse(await readFile(log.paths.head, "utf8"))).toMatchObject({ seq: 3, key_id: signer.keyId });
  });
});
