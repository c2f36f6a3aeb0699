import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// Another process creating the secret between this one's read (missing) and its own create.
const race = vi.hoisted(() => ({ otherSecret: null as string | null }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      if (race.otherSecret !== null && String(args[0]).endsWith("webhook-secret") && args[1] === "wx") {
        await real.writeFile(String(args[0]), `${race.otherSecret}\n`, { mode: 0o600 });
        race.otherSecret = null;
      }
      return real.open(...args);
    },
  };
});

const { resolveWebhookSecret } = await import("../../src/config/webhook-secret.js");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-secret-race-"));
  race.otherSecret = null;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("two starts making the webhook secret at once", () => {
  it("the one that finds the file already created uses that secret, so both agree", async () => {
    const other = "f".repeat(64);
    race.otherSecret = other;
    expect(await resolveWebhookSecret(undefined, dir)).toEqual({ secret: other, origin: "data-folder" });
    // The next start reads the same file.
    expect(await resolveWebhookSecret(undefined, dir)).toEqual({ secret: other, origin: "data-folder" });
  });
});
