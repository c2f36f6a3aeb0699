import { generateKeyPairSync } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptKeyRequiredError } from "../../src/receipts/key-required.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { signerFromKey } from "../../src/receipts/signing.js";
import { rejection, tempDirs } from "./helpers.js";

const temp = tempDirs("keyless");
const attempt = (p: Promise<unknown>) => p.then(() => "appended", (e: Error) => `${e.name}: ${e.message}`);
const signer = () => signerFromKey(generateKeyPairSync("ed25519").privateKey);

describe("a writer without the key on a signed log", () => {
  it("an operator command run without the key is refused on a signed log, and the signing server can still append", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "pw-keyless-"));
    try {
      const key = signer();
      const server = await ReceiptLog.open(dataDir, { signer: key, durable: false });
      await server.append(rejection(1));
      const keyless = await attempt(ReceiptLog.open(dataDir, { durable: false }).then((log) => log.append(rejection(2))));
      const serverAfter = await attempt(server.append(rejection(3)));
      expect(keyless).not.toBe("appended");
      expect(serverAfter).toBe("appended");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("is refused before anything is written: no torn tail set aside, no head moved, the empty signed anchor kept", async () => {
    const key = signer();
    const dataDir = await temp();
    const server = await ReceiptLog.open(dataDir, { signer: key, durable: false });
    // The receipt-0 anchor of an empty log, signed: still the log of a signing server.
    const emptyHead = await readFile(server.paths.head, "utf8");
    await expect(ReceiptLog.open(dataDir, { durable: false })).rejects.toThrow(ReceiptKeyRequiredError);
    expect(await readFile(server.paths.head, "utf8")).toBe(emptyHead);
    await server.append(rejection(1));
    const head = await readFile(server.paths.head, "utf8");
    await appendFile(server.paths.log, '{"actor":"bo');
    const log = await readFile(server.paths.log, "utf8");
    const error = await ReceiptLog.at(dataDir, { durable: false }).append(rejection(2)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ReceiptKeyRequiredError);
    expect((error as Error).message).toBe(
      `${server.paths.head}: this log is signed (\`${key.keyId}\`), and this process has no key; set PATCHWARDEN_RECEIPT_KEY or receipt_key in PATCHWARDEN_CONFIG to the key it is signed with, as the server has it`,
    );
    expect(await readFile(server.paths.head, "utf8")).toBe(head);
    expect(await readFile(server.paths.log, "utf8")).toBe(log);
    expect(await attempt(server.append(rejection(3)))).toBe("appended");
  });

  it("re-anchoring without the key is refused too, saying how to stop signing on purpose", async () => {
    const key = signer();
    const dataDir = await temp();
    const server = await ReceiptLog.open(dataDir, { signer: key, durable: false });
    await server.append(rejection(1));
    await expect(ReceiptLog.at(dataDir, { durable: false }).reanchor("alice", "no key at hand")).rejects.toThrow(
      /receipts\.head: this log is signed \(`ed25519:[0-9a-f]{16}`\), and this process has no key; .*; to stop signing on purpose, move receipts\.head aside \(keep it: it is a checkpoint\), then re-anchor$/,
    );
    expect(await attempt(server.append(rejection(2)))).toBe("appended");
  });
});
