import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfigFile } from "../../src/config/read-config-file.js";
import { resolveWebhookSecret } from "../../src/config/webhook-secret.js";
import { loadSigner } from "../../src/receipts/signing.js";

// Files the operator names are read only as far as such a file can go: a device never ends, a FIFO
// waits for a writer, and a huge file would fill memory; each is refused with what to fix.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-named-files-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("files the operator names", () => {
  it("PATCHWARDEN_CONFIG naming a device or a FIFO is refused, not read forever", async () => {
    await expect(readConfigFile({ PATCHWARDEN_CONFIG: "/dev/zero" }, dir)).rejects.toThrow("PATCHWARDEN_CONFIG: cannot read `/dev/zero` (not a regular file); fix the path or unset it");
    const fifo = join(dir, "config.fifo");
    execFileSync("mkfifo", [fifo]);
    await expect(readConfigFile({ PATCHWARDEN_CONFIG: fifo }, dir)).rejects.toThrow(`PATCHWARDEN_CONFIG: cannot read \`${fifo}\` (not a regular file); fix the path or unset it`);
  });

  it("a config file past 1 MiB is refused by its size, unread", async () => {
    const file = join(dir, "patchwarden.toml");
    await writeFile(file, "");
    await truncate(file, 3 * 1024 ** 3); // sparse: no disk taken
    await expect(readConfigFile({ PATCHWARDEN_CONFIG: file }, dir)).rejects.toThrow(`PATCHWARDEN_CONFIG: cannot read \`${file}\` (3072 MiB, over the 1 MiB limit); fix the path or unset it`);
  });

  it("a webhook-secret that is a FIFO is unusable, not waited on; a missing one is still made anew", async () => {
    execFileSync("mkfifo", [join(dir, "webhook-secret")]);
    const refused = await resolveWebhookSecret(undefined, dir);
    expect(refused.secret === null ? refused.problem : "").toMatch(/^no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and `[^`]+\/webhook-secret` cannot be read \(not a regular file\); /);
    await rm(join(dir, "webhook-secret"));
    const made = await resolveWebhookSecret(undefined, dir);
    expect(made.secret === null ? null : made.origin).toBe("generated");
  });

  it("a signing key past 64 KiB is refused by its size", async () => {
    const key = join(dir, "receipt-signing.key");
    await writeFile(key, "x".repeat(65 * 1024));
    await chmod(key, 0o600);
    await expect(loadSigner(key)).rejects.toThrow(`${key}: cannot read the receipt signing key (65 KiB, over the 64 KiB limit); fix PATCHWARDEN_RECEIPT_KEY or create a key with \`patchwarden receipts keygen --out DIR\``);
  });
});
