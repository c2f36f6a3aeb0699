import { join } from "node:path";
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { loadPublicKeys, loadSigner, writeSigningKeys } from "../../src/receipts/signing.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("head-no-key-id");

describe("a signed receipts.head whose key_id was removed", () => {
  it("is refused with a public key as not signed by it, without naming a made-up key", async () => {
    const written = await writeSigningKeys(join(await temp(), "keys"));
    const signer = await loadSigner(written.privatePath);
    const log = await ReceiptLog.open(await temp(), { signer, clock: steppingClock(), durable: false });
    for (let i = 1; i <= 2; i++) await log.append(rejection(i));
    const keys = await loadPublicKeys([written.publicPath]);
    expect((await log.verify(keys)).ok).toBe(true);

    const { key_id: _keyId, ...head } = JSON.parse(await readFile(log.paths.head, "utf8")) as Record<string, unknown>;
    expect(head["sig"]).toEqual(expect.any(String));
    await writeFile(log.paths.head, `${JSON.stringify(head)}\n`);
    const report = await log.verify(keys);
    expect(report.ok).toBe(false);
    expect(report.problem).toEqual({
      kind: "unsigned",
      seq: null,
      line: null,
      message: "receipts.head is not signed, but a public key was given; it was written without the operator's key, or replaced",
    });
  });
});
