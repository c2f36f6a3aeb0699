import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const fixture = (relative: string): string => fileURLToPath(new URL(`../../fixtures/${relative}`, import.meta.url));

/**
 * Whether uid 65534 (`nobody`), which root's permission tests drop to, may read this checkout.
 * Under a private folder (a clone inside `mktemp -d`, mode 0700) it may not reach the built CLI or
 * the modules at all, so those tests cannot say anything there and are skipped.
 */
export function nobodyCanReadCheckout(): boolean {
  if (process.getuid?.() !== 0) return true;
  const probe = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", join(REPO_ROOT, "package.json")]);
  return probe.status === 0;
}
