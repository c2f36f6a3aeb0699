import { resolve } from "node:path";
import { SIGNING_KEY_VARIABLE, SigningKeyError, writeSigningKeys } from "../../receipts/signing.js";
import type { Command } from "../command.js";
import { ConfigError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { requiredOption } from "../options.js";
import { requireFolder } from "../user-paths.js";

export const receiptsKeygen: Command = {
  name: "receipts keygen",
  summary: "create an ed25519 key pair for signing receipts",
  usage: "patchwarden receipts keygen --out DIR",
  help: `Writes DIR/receipt-signing.key (private, mode 0600) and DIR/receipt-signing.pub (public).
Existing keys are never overwritten. Point $${SIGNING_KEY_VARIABLE} at the private key and every
receipt and head is signed from then on; anyone holding the public key can verify offline.

  --out DIR   the folder for the two files (created, mode 0700)`,
  options: { out: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const dir = resolve(context.io.cwd, requiredOption(context, "out", "/etc/patchwarden/keys"));
    await requireFolder("--out", dir, "give a folder for the two key files (it is made when missing)");
    let written;
    try {
      written = await writeSigningKeys(dir);
    } catch (error) {
      if (error instanceof SigningKeyError) throw new ConfigError(`--out: ${error.message}`);
      throw error;
    }
    context.io.stdout(
      [
        `key ${written.keyId}`,
        `  private: ${written.privatePath} (keep it on the gate's host only)`,
        `  public:  ${written.publicPath}`,
        `sign from now on:  export ${SIGNING_KEY_VARIABLE}=${written.privatePath}`,
        `verify anywhere:   patchwarden receipts verify --public-key ${written.publicPath}`,
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
