import { resolve } from "node:path";
import { LockStateError } from "../locks/lock-errors.js";
import { MutexTimeoutError } from "../locks/mutex.js";
import { actorSchema } from "../receipts/receipt-schema.js";
import { resolveDataDir } from "../receipts/data-dir.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../receipts/receipt-log.js";
import type { ReceiptSigner } from "../receipts/seal.js";
import { loadSigner, SIGNING_KEY_VARIABLE, SigningKeyError } from "../receipts/signing.js";
import type { CommandContext, OptionSpec } from "./command.js";
import { CheckFailed, ConfigError, UsageError } from "./errors.js";
import { stringOption } from "./options.js";

/** The options of every command that works on the data folder (queue, receipts, locks). */
export const DATA_DIR_OPTION: OptionSpec = { "data-dir": { type: "string" } };

export const DATA_DIR_HELP = "  --data-dir DIR   the data folder (default: $PATCHWARDEN_DATA_DIR, else ./data)";

export function dataDirOf(context: CommandContext): string {
  return resolveDataDir(stringOption(context, "data-dir"), context.io.env, context.io.cwd);
}

/** The operator's signing key from $PATCHWARDEN_RECEIPT_KEY, or undefined when it is unset. */
export async function signerOf(context: CommandContext): Promise<ReceiptSigner | undefined> {
  const keyPath = context.io.env[SIGNING_KEY_VARIABLE];
  if (keyPath === undefined || keyPath === "") return undefined;
  try {
    return await loadSigner(resolve(context.io.cwd, keyPath));
  } catch (error) {
    if (error instanceof SigningKeyError) throw new ConfigError(`${SIGNING_KEY_VARIABLE}: ${error.message}`);
    throw error;
  }
}

/** The log opened for writing, signing with $PATCHWARDEN_RECEIPT_KEY when it is set; a repair is reported on stderr. */
export async function openLogForWriting(context: CommandContext): Promise<ReceiptLog> {
  const signer = await signerOf(context);
  return withLogErrors(() =>
    ReceiptLog.open(dataDirOf(context), {
      clock: context.io.now,
      onRepair: (report) => context.io.stderr(`patchwarden: ${report.message}\n`),
      ...(signer === undefined ? {} : { signer }),
    }),
  );
}

/** A damaged log (or lock state read from one) or a stuck writer ends the command with exit status 1 and the library's message. */
export async function withLogErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReceiptLogDamagedError || error instanceof LockStateError || error instanceof MutexTimeoutError) throw new CheckFailed(error.message);
    throw error;
  }
}

/** --actor, else $PATCHWARDEN_OPERATOR, else $USER: the login recorded as having done it. */
export function actorOf(context: CommandContext): string {
  const given = stringOption(context, "actor") ?? context.io.env["PATCHWARDEN_OPERATOR"] ?? context.io.env["USER"] ?? context.io.env["LOGNAME"];
  if (given === undefined || given === "") throw new UsageError("--actor: missing; give the operator's Forgejo login, e.g. `--actor alice`");
  if (!actorSchema.safeParse(given).success) throw new UsageError(`--actor: \`${given}\` is not a login (letters, digits, \`_\`, \`.\`, \`-\`); give the operator's Forgejo login`);
  return given;
}

export function reasonOf(context: CommandContext): string {
  const reason = stringOption(context, "reason")?.trim();
  if (reason === undefined || reason === "") throw new UsageError("--reason: missing; say why, e.g. `--reason \"repair finished, postcheck run by hand\"`");
  if (reason.length > 2000) throw new UsageError(`--reason: ${reason.length} characters; keep it under 2000`);
  return reason;
}
