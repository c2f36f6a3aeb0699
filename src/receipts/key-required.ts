import { basename } from "node:path";
import type { HeadRecord } from "./head-file.js";
import { SIGNING_KEY_VARIABLE } from "./signing.js";

/**
 * A process without a key asked to write over a signed head. Not damage, a configuration problem:
 * the unsigned head it would leave is one no signing process may sign over, so a single command run
 * without the key would stop the server and the hourly gate until someone re-anchored.
 */
export class ReceiptKeyRequiredError extends Error {
  constructor(
    readonly path: string,
    readonly keyId: string,
    detail = "",
  ) {
    super(`${path}: this log is signed (\`${keyId}\`), and this process has no key; set ${SIGNING_KEY_VARIABLE} or receipt_key in PATCHWARDEN_CONFIG to the key it is signed with, as the server has it${detail}`);
    this.name = "ReceiptKeyRequiredError";
  }
}

/** Refuses, before anything is written, to write over a signed head without a key. */
export function refuseKeylessOverSigned(headPath: string, head: HeadRecord, action: "append" | "reanchor"): void {
  if (head.key_id === undefined && head.sig === undefined) return;
  // A deliberate end to signing stays possible, but only by a step no one takes by accident.
  const detail = action === "reanchor" ? `; to stop signing on purpose, move ${basename(headPath)} aside (keep it: it is a checkpoint), then re-anchor` : "";
  throw new ReceiptKeyRequiredError(headPath, head.key_id ?? "an unnamed key", detail);
}
