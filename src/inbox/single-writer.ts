import { join } from "node:path";
import { ConfigError } from "../cli/errors.js";
import { quote } from "../diagnostics/diagnostic.js";
import { takeHolderFile } from "../locks/holder-file.js";
import { currentProcess } from "../locks/process-identity.js";
import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";

/**
 * One server per data folder: the inbox's dedupe lives in that process's memory. A pid file says
 * who holds the folder; a holder that died on this host is replaced. A live holder is a
 * configuration to fix, not a crash to restart from: a ConfigError, so `serve` exits 2. So is a
 * holder on another host, which cannot be checked: the message says how to tell, and what to remove.
 */
export async function claimDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, "inbox", "server.pid");
  const claim = await takeHolderFile(path, { since: new Date().toISOString() }, 0o640);
  if (claim.ok) return claim.release;
  const holder = claim.holder;
  // The file is read back from the data folder: what it says is shown, never obeyed by a terminal.
  const since = typeof holder?.since === "string" ? `, since ${holder.since.replace(UNSAFE_CHARACTERS, " ")}` : "";
  const here = currentProcess().host;
  if (holder !== null && holder.host !== here) {
    // Fail closed: a server there may still be writing. After a re-created container (a new
    // hostname) or a restored backup there is none, and only the operator can know that.
    throw new ConfigError(
      `another patchwarden serve (pid ${holder.pid} on host ${quote(holder.host)}${since}) claimed the data folder ${quote(dataDir, 1000)}, and this host (${quote(here)}) cannot tell whether it still runs there; if it does, stop it or give this one its own PATCHWARDEN_DATA_DIR; if no server runs there (a re-created container, a restored backup), remove ${quote(path, 1000)} and start again`,
    );
  }
  throw new ConfigError(
    `another patchwarden serve (pid ${holder?.pid ?? "?"} on ${holder?.host.replace(UNSAFE_CHARACTERS, " ") ?? "?"}${since}) uses the data folder ${quote(dataDir, 1000)}; stop it or give this one its own PATCHWARDEN_DATA_DIR`,
  );
}
