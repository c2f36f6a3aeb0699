import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPublicKeys, loadSigner, SigningKeyError } from "../../src/receipts/signing.js";
import { tempDirs } from "./helpers.js";

const temp = tempDirs("not-ed25519");

describe("keys that are not ed25519", () => {
  it("a public key of another type is refused, path first, naming its type", async () => {
    const path = join(await temp(), "ec.pub");
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await writeFile(path, publicKey.export({ type: "spki", format: "pem" }));
    const loading = loadPublicKeys([path]);
    await expect(loading).rejects.toThrow(SigningKeyError);
    await expect(loadPublicKeys([path])).rejects.toThrow(`${path}: a key of type \`ec\`; receipts are signed with ed25519 only`);
  });

  it("a private key of another type is refused, pointing at keygen", async () => {
    const path = join(await temp(), "ec.key");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await writeFile(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    await expect(loadSigner(path)).rejects.toThrow(`${path}: a key of type \`ec\`; receipts are signed with ed25519 only (\`patchwarden receipts keygen\`)`);
  });
});
