import { join } from "node:path";
import { ConfigError } from "../cli/errors.js";
import { takeHolderFile } from "../locks/holder-file.js";

/**
 * One server per data folder: the inbox's dedupe lives in that process's memory. A pid file says
 * who holds the folder; a holder that died on this host is replaced. A live holder is a
 * configuration to fix, not a crash to restart from: a ConfigError, so `serve` exits 2.
 */
export async function claimDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const claim = await takeHolderFile(join(dataDir, "inbox", "server.pid"), { since: new Date().toISOString() }, 0o640);
  if (claim.ok) return claim.release;
  const holder = claim.holder;
  throw new ConfigError(
    `another patchwarden serve (pid ${holder?.pid ?? "?"} on ${holder?.host ?? "?"}${holder?.since === undefined ? "" : `, since ${holder.since}`}) uses the data folder \`${dataDir}\`; stop it or give this one its own PATCHWARDEN_DATA_DIR`,
  );
}
