import { folderState } from "../config/folder-state.js";
import { quote } from "../diagnostics/diagnostic.js";
import { LockStateError } from "../locks/lock-errors.js";
import { MutexTimeoutError } from "../locks/mutex.js";
import { actorSchema } from "../receipts/receipt-schema.js";
import { DATA_DIR_VARIABLE } from "../receipts/data-dir.js";
import { ReceiptKeyRequiredError } from "../receipts/key-required.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../receipts/receipt-log.js";
import type { ReceiptSigner } from "../receipts/seal.js";
import { loadSigner, SigningKeyError } from "../receipts/signing.js";
import type { CommandContext, OptionSpec } from "./command.js";
import { CheckFailed, ConfigError, UsageError } from "./errors.js";
import { operatorSetting } from "./operator-settings.js";
import { unusablePathError } from "./path-errors.js";
import { stringOption } from "./options.js";
import { echo } from "./user-paths.js";

/** The options of every command that works on the data folder (queue, receipts, locks). */
export const DATA_DIR_OPTION: OptionSpec = { "data-dir": { type: "string" } };

/** The --data-dir line of a command's help, its text starting at `column` as the command's other options do. */
export function dataDirHelp(column = 19): string {
  const indent = " ".repeat(column);
  return `${"  --data-dir DIR".padEnd(column)}the data folder (default: $PATCHWARDEN_DATA_DIR, else data_dir in\n${indent}$PATCHWARDEN_CONFIG, else ./data)`;
}

export const DATA_DIR_HELP = dataDirHelp();

/**
 * The data folder, checked: a file given as the folder is said now, naming where it was given.
 * `mustExist`: for a command whose answer from a folder that is not there would look like "none"
 * (no locks held, no receipts, an export of nothing, no such proposal or lock), so that a typo in
 * the path is not read as an empty folder; others read a missing folder as empty, or create it.
 */
export async function dataDirOf(context: CommandContext, options: { mustExist?: boolean | "when-named" } = {}): Promise<string> {
  const { value: dataDir, from, defaulted } = await operatorSetting(context, "dataDir");
  const state = await folderState(dataDir);
  // "when-named": a folder the operator named must be there (a typo must not read as "no locks held"); the default may be absent.
  const mustExist = options.mustExist === true || (options.mustExist === "when-named" && defaulted !== true);
  const problem = state.kind === "unusable" ? state.problem : state.kind === "missing" && mustExist ? "no such folder" : null;
  if (problem !== null) throw new ConfigError(`${from}: ${echo(dataDir)}: ${problem}; give the data folder (the server's ${DATA_DIR_VARIABLE})`);
  return dataDir;
}

/** The operator's signing key ($PATCHWARDEN_RECEIPT_KEY, else receipt_key in $PATCHWARDEN_CONFIG), or undefined when neither is set. */
export async function signerOf(context: CommandContext): Promise<ReceiptSigner | undefined> {
  const key = await operatorSetting(context, "receiptKey");
  if (key === undefined) return undefined;
  try {
    return await loadSigner(key.value);
  } catch (error) {
    if (error instanceof SigningKeyError) throw new ConfigError(`${key.from}: ${error.message}`);
    throw error;
  }
}

/**
 * The log of `dataDir` for reading lock state, with the signing key when one is set: lock state is
 * then read as the writer reads it, and nothing the key did not sign counts (a head rewritten
 * unsigned, a release appended without the key).
 */
export async function logForReading(context: CommandContext, dataDir: string): Promise<ReceiptLog> {
  const signer = await signerOf(context);
  return ReceiptLog.at(dataDir, signer === undefined ? {} : { signer });
}

/**
 * The log opened for writing, signing with $PATCHWARDEN_RECEIPT_KEY (else receipt_key in
 * $PATCHWARDEN_CONFIG) when set; a repair is reported on stderr. `mustExist` as for dataDirOf.
 */
export async function openLogForWriting(context: CommandContext, options: { mustExist?: boolean } = {}): Promise<ReceiptLog> {
  const dataDir = await dataDirOf(context, options);
  const signer = await signerOf(context);
  return withLogErrors(
    () =>
      ReceiptLog.open(dataDir, {
        clock: context.io.now,
        onRepair: (report) => context.io.stderr(`patchwarden: ${report.message}\n`),
        ...(signer === undefined ? {} : { signer }),
      }),
    dataDir,
  );
}

/**
 * A damaged log (or lock state read from one) or a stuck writer ends the command with exit status 1
 * and the library's message; a signed log written without its key is a configuration problem (2),
 * and so is a data folder on a full or read-only disk, named by `dataDir`.
 */
export async function withLogErrors<T>(run: () => Promise<T>, dataDir?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReceiptKeyRequiredError) throw new ConfigError(error.message);
    if (error instanceof ReceiptLogDamagedError || error instanceof LockStateError || error instanceof MutexTimeoutError) throw new CheckFailed(error.message);
    throw (dataDir === undefined ? null : unusablePathError(error, dataDir)) ?? error;
  }
}

/**
 * --actor, else $PATCHWARDEN_OPERATOR, else $USER (or $LOGNAME): the login recorded as having done
 * it. An empty variable reads as unset, as for every setting, and a bad value is named by where it
 * came from: a directory login in $USER is not a Forgejo login, and no `--actor` was typed.
 */
export function actorOf(context: CommandContext): string {
  const { env } = context.io;
  const sources: Array<[string, string | undefined]> = [
    ["--actor", stringOption(context, "actor")],
    ["$PATCHWARDEN_OPERATOR", env["PATCHWARDEN_OPERATOR"]],
    ["$USER", env["USER"]],
    ["$LOGNAME", env["LOGNAME"]],
  ];
  const found = sources.find(([, value]) => value !== undefined && value !== "");
  if (found === undefined) throw new UsageError("--actor: missing; give the operator's Forgejo login, e.g. `--actor alice` (or set $PATCHWARDEN_OPERATOR)");
  const [source, given] = found as [string, string];
  if (!actorSchema.safeParse(given).success) {
    const fix = source === "--actor" ? "give the operator's Forgejo login" : "give the operator's Forgejo login with `--actor`, or set $PATCHWARDEN_OPERATOR to it";
    throw new UsageError(`${source}: ${quote(given)} is not a login (letters, digits, \`_\`, \`.\`, \`-\`); ${fix}`);
  }
  return given;
}

/** --reason, trimmed, not blank, and within the 2000 characters a receipt keeps; `example` fits the command. */
export function reasonOf(context: CommandContext, example: string): string {
  const reason = stringOption(context, "reason")?.trim();
  if (reason === undefined || reason === "") throw new UsageError(`--reason: missing or blank; say why, e.g. \`--reason "${example}"\``);
  if (reason.length > 2000) throw new UsageError(`--reason: ${reason.length} characters; keep it under 2000`);
  return reason;
}
