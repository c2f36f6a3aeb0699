import { join, resolve } from "node:path";

/** Where everything Patchwarden keeps lives; the CLI and the server agree on this variable. */
export const DATA_DIR_VARIABLE = "PATCHWARDEN_DATA_DIR";
export const DEFAULT_DATA_DIR = "data";

/** `--data-dir`, else $PATCHWARDEN_DATA_DIR, else `./data`, relative to `cwd`. */
export function resolveDataDir(given: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const chosen = given !== undefined && given !== "" ? given : env[DATA_DIR_VARIABLE];
  return resolve(cwd, chosen !== undefined && chosen !== "" ? chosen : DEFAULT_DATA_DIR);
}

export interface ReceiptPaths {
  dataDir: string;
  dir: string;
  log: string;
  head: string;
  /** The inter-process mutex that serializes appends (and lock decisions). */
  mutex: string;
}

export function receiptPaths(dataDir: string): ReceiptPaths {
  const dir = join(dataDir, "receipts");
  return { dataDir, dir, log: join(dir, "receipts.jsonl"), head: join(dir, "receipts.head"), mutex: join(dir, "receipts.lock") };
}
