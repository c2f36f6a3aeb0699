import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSigner, SigningKeyError, writeSigningKeys } from "../../src/receipts/signing.js";
import { tempDirs } from "./helpers.js";

const temp = tempDirs("key-modes");

describe("the operator's private key file mode", () => {
  it.each(["0640", "0604", "0660", "0610"])("refuses a key with mode %s: readable or usable by group or others", async (modeText) => {
    const mode = Number.parseInt(modeText, 8);
    const written = await writeSigningKeys(join(await temp(), "keys"));
    await chmod(written.privatePath, mode);
    const loaded = loadSigner(written.privatePath);
    await expect(loaded).rejects.toThrow(SigningKeyError);
    await expect(loadSigner(written.privatePath)).rejects.toThrow(`readable by others (mode ${modeText}); run \`chmod 600 ${written.privatePath}\``);
  });

  it("loads a key only its owner can read", async () => {
    const written = await writeSigningKeys(join(await temp(), "keys"));
    await chmod(written.privatePath, 0o400);
    expect((await loadSigner(written.privatePath)).keyId).toBe(written.keyId);
  });
});
