import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { loadSigner, writeSigningKeys } from "../../src/receipts/signing.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("seal-bytes");

async function lines(log: ReceiptLog): Promise<string[]> {
  return (await readFile(log.paths.log, "utf8")).split("\n");
}

describe("a receipt whose body is intact but whose seal bytes were changed", () => {
  it("the quote closing the hash replaced: the line is no receipt (not even JSON), and verify names it", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const text = await lines(log);
    expect(text[1]!.endsWith('"}')).toBe(true);
    text[1] = `${text[1]!.slice(0, -2)}x}`;
    await writeFile(log.paths.log, text.join("\n"));
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2 });
    expect(report.problem?.message).toMatch(/^has a `hash` that is not `sha256:` and 64 hex digits; receipt 2 was changed after it was written$/);
  });

  it("a signature replaced with 88 characters that are not base64 fails verify even without a public key", async () => {
    const written = await writeSigningKeys(join(await temp(), "keys"));
    const signer = await loadSigner(written.privatePath);
    const log = await ReceiptLog.open(await temp(), { signer, clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const text = await lines(log);
    text[1] = text[1]!.replace(/,"sig":"[^"]{88}"}$/, `,"sig":"${"!".repeat(88)}"}`);
    expect(text[1]).toContain("!".repeat(88));
    await writeFile(log.paths.log, text.join("\n"));
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2 });
    expect(report.problem?.message).toMatch(/^has a `sig` that is not a base64 ed25519 signature; receipt 2 was changed after it was written$/);
  });

  it("a hash digit replaced by a letter past `f` is a malformed seal, not a changed body", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const text = await lines(log);
    text[1] = text[1]!.replace(/("hash":"sha256:[0-9a-f]{63})[0-9a-f]"/, '$1g"');
    expect(text[1]).toMatch(/g"\}$/);
    await writeFile(log.paths.log, text.join("\n"));
    expect((await log.verify()).problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^has a `hash` that is not `sha256:` and 64 hex digits; /) });
  });

  it("a signature added to a receipt that names no key is malformed, and fails verify without a public key", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const text = await lines(log);
    expect(text[1]).not.toContain('"key_id"');
    // The signature is outside the hashed body, so receipt 3 still chains to receipt 2.
    text[1] = `${text[1]!.slice(0, -1)},"sig":"${"A".repeat(86)}=="}`;
    await writeFile(log.paths.log, text.join("\n"));
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^has a signature but no `key_id` to say whose; /) });
  });
});
