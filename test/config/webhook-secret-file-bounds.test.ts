import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveWebhookSecret } from "../../src/config/webhook-secret.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-secret-file-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the webhook secret file in the data folder", () => {
  it("takes a file of exactly 16 characters", async () => {
    await writeFile(join(dir, "webhook-secret"), "0123456789abcdef\n", { mode: 0o600 });
    expect(await resolveWebhookSecret(undefined, dir)).toEqual({ secret: "0123456789abcdef", origin: "data-folder" });
  });

  it.skipIf(process.platform === "win32")("makes a missing data folder readable by its owner only", async () => {
    const data = join(dir, "data");
    const made = await resolveWebhookSecret(undefined, data);
    expect(made.secret === null ? null : made.origin).toBe("generated");
    expect((await stat(data)).mode & 0o777).toBe(0o700);
  });
});
