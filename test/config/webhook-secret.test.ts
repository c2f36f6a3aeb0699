import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// Faults for one test at a time: the secret file's write (a full disk), or its read (no permission,
// which root, running these tests, would not meet through a mode).
const faults = vi.hoisted(() => ({ failWrite: false, failRead: false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      // The secret is read through an opened handle (read-bounded.ts): a read fault fails the open.
      if (faults.failRead && String(args[0]).endsWith("webhook-secret") && args[1] !== "wx") throw Object.assign(new Error(`EACCES: permission denied, open '${String(args[0])}'`), { code: "EACCES" });
      const handle = await real.open(...args);
      if (!faults.failWrite || !String(args[0]).endsWith("webhook-secret") || args[1] !== "wx") return handle;
      return {
        writeFile: async () => {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
});

const { resolveWebhookSecret } = await import("../../src/config/webhook-secret.js");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-secret-"));
  faults.failWrite = false;
  faults.failRead = false;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const secretFile = () => join(dir, "webhook-secret");
const problemOf = async () => {
  const source = await resolveWebhookSecret(undefined, dir);
  if (source.secret !== null) throw new Error(`expected no secret, got one from ${source.origin}`);
  return source.problem;
};

describe("the webhook secret generated into the data folder", () => {
  it("is generated once, mode 0600, and read back on the next start", async () => {
    const first = await resolveWebhookSecret(undefined, dir);
    expect(first).toMatchObject({ origin: "generated", secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await stat(secretFile())).mode & 0o777).toBe(0o600);
    expect(await resolveWebhookSecret(undefined, dir)).toEqual({ secret: first.secret, origin: "data-folder" });
  });

  it("leaves no half-made file when its write fails (a full disk), so the next start generates one", async () => {
    faults.failWrite = true;
    expect(await problemOf()).toBe(`no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${secretFile()}\` could not be created (ENOSPC: no space left on device, write); set the variable or make the data folder writable`);
    await expect(stat(secretFile())).rejects.toMatchObject({ code: "ENOENT" });
    faults.failWrite = false;
    const next = await resolveWebhookSecret(undefined, dir);
    expect(next.secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await readFile(secretFile(), "utf8")).trim()).toBe(next.secret);
  });

  it("names an empty file (a first start that crashed mid-write) as the problem, and says to delete it", async () => {
    await writeFile(secretFile(), "", { mode: 0o600 });
    const problem = await problemOf();
    expect(problem).toBe(`no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${secretFile()}\` is empty; delete it to have a new one generated at the next start, or set the variable`);
    expect(problem).not.toMatch(/EEXIST/);
    // Not overwritten: what the file holds is the operator's to decide.
    expect(await readFile(secretFile(), "utf8")).toBe("");
  });

  it("names a secret too short to trust", async () => {
    await writeFile(secretFile(), "short\n", { mode: 0o600 });
    expect(await problemOf()).toBe(`no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${secretFile()}\` holds fewer than 16 characters; delete it to have a new one generated at the next start, or set the variable`);
  });

  it("says a file it cannot read cannot be read, instead of trying to create it", async () => {
    await writeFile(secretFile(), `${"a".repeat(64)}\n`, { mode: 0o600 });
    faults.failRead = true;
    expect(await problemOf()).toBe(`no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${secretFile()}\` cannot be read (permission denied); let the server's user read it, or set the variable`);
  });

  // As the receipt signing key is: anyone who can read the secret can sign deliveries (a copy
  // restored from a backup, or written by hand with the default umask).
  it.skipIf(process.platform === "win32")("refuses a file that group or others can read, saying to chmod 600, without echoing it", async () => {
    const secret = "a".repeat(64);
    for (const mode of [0o644, 0o640, 0o604]) {
      await writeFile(secretFile(), `${secret}\n`);
      await chmod(secretFile(), mode);
      const problem = await problemOf();
      expect(problem).toBe(
        `no webhook secret: \`${secretFile()}\` is readable by others (mode 0${mode.toString(8)}); run \`chmod 600 ${secretFile()}\` and restart the server (or, if someone may have read it, delete it to have a new one generated, and give that one to Forgejo)`,
      );
      expect(problem).not.toContain(secret);
    }
    // Not changed: the mode, like the secret, is the operator's to decide.
    expect((await stat(secretFile())).mode & 0o777).toBe(0o604);
    await chmod(secretFile(), 0o600);
    expect(await resolveWebhookSecret(undefined, dir)).toEqual({ secret, origin: "data-folder" });
  });

  it("is not looked for when the variable is set", async () => {
    faults.failRead = true;
    expect(await resolveWebhookSecret("configured-secret-0123456789", dir)).toEqual({ secret: "configured-secret-0123456789", origin: "configured" });
  });
});
