import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's chromium (installed by `npm test`'s pretest), or the binary PATCHWARDEN_CHROMIUM names. */
export const CHROMIUM = process.env["PATCHWARDEN_CHROMIUM"] || "/usr/bin/chromium";

// Headless, unsandboxed (containers run as root), and quiet: nothing phones home during a test.
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface OpenBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile in a temporary folder, removed on close. */
export async function openBrowser(viewport: { width: number; height: number } = { width: 1280, height: 900 }, deviceScaleFactor = 1): Promise<OpenBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "pw-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, deviceScaleFactor });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
