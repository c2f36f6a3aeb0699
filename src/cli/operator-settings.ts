import { dirname, resolve } from "node:path";
import { readConfigFile, type ConfigFile } from "../config/read-config-file.js";
import { DATA_DIR_VARIABLE, DEFAULT_DATA_DIR } from "../receipts/data-dir.js";
import { SIGNING_KEY_VARIABLE } from "../receipts/signing.js";
import type { CommandContext } from "./command.js";
import { ConfigError, UsageError } from "./errors.js";
import { stringOption } from "./options.js";

/** A resolved setting and where it came from, for messages: `--data-dir`, `PATCHWARDEN_DATA_DIR`, `data_dir in \`FILE\``. */
export interface Setting {
  value: string;
  from: string;
  /** Nobody named it: the built-in default. */
  defaulted?: true;
}

const FILE_KEYS = { dataDir: "data_dir", receiptKey: "receipt_key" } as const;

// One read of the file per command, however many settings it asks for.
const files = new WeakMap<CommandContext, Promise<ConfigFile>>();

/**
 * The data folder and the signing key of operator commands, found as the server finds them, so a
 * command acts on the server's folder and signs with its key: the flag, else the environment, else
 * the PATCHWARDEN_CONFIG file, else the default (./data; no key). The file is read only when the
 * flag and the environment leave the setting open.
 */
export async function operatorSetting(context: CommandContext, name: "dataDir"): Promise<Setting>;
export async function operatorSetting(context: CommandContext, name: "receiptKey"): Promise<Setting | undefined>;
export async function operatorSetting(context: CommandContext, name: keyof typeof FILE_KEYS): Promise<Setting | undefined> {
  const { env, cwd } = context.io;
  const flag = name === "dataDir" ? stringOption(context, "data-dir") : undefined;
  // An empty flag is what `--data-dir "$DIR"` gives with DIR unset: guessing ./data would record elsewhere.
  if (flag !== undefined && flag.trim() === "") throw new UsageError("--data-dir: is empty; give the data folder, or leave the flag out to use $PATCHWARDEN_DATA_DIR (else data_dir in $PATCHWARDEN_CONFIG, else ./data)");
  if (flag !== undefined) return { value: resolve(cwd, flag), from: "--data-dir" };
  const variable = name === "dataDir" ? DATA_DIR_VARIABLE : SIGNING_KEY_VARIABLE;
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== "") return { value: resolve(cwd, fromEnv), from: variable };
  const fromFile = await configFileSetting(context, FILE_KEYS[name], name === "dataDir" ? "/var/lib/patchwarden" : "/etc/patchwarden/keys/receipt-signing.key");
  if (fromFile !== undefined) return fromFile;
  return name === "dataDir" ? { value: resolve(cwd, DEFAULT_DATA_DIR), from: `the data folder (default ./${DEFAULT_DATA_DIR})`, defaulted: true } : undefined;
}

/**
 * A path setting from the PATCHWARDEN_CONFIG file, a relative one resolved against the file's own
 * folder, as the server resolves it (not against this command's working folder, which is rarely the
 * server's); undefined when the file does not set it.
 */
export async function configFileSetting(context: CommandContext, key: string, example: string): Promise<Setting | undefined> {
  const file = await configFileOf(context);
  const value = file.values[key];
  if (value === undefined) return undefined;
  // The server refuses these too; a command must not guess past them.
  if (typeof value !== "string" || value === "") throw new ConfigError(`${key} in \`${file.path}\`: must be a path in quotes, e.g. \`${key} = "${example}"\``);
  // A file that sets a value has a path: an unset PATCHWARDEN_CONFIG reads as no values at all.
  return { value: resolve(dirname(file.path!), value), from: `${key} in \`${file.path}\`` };
}

function configFileOf(context: CommandContext): Promise<ConfigFile> {
  let file = files.get(context);
  if (file === undefined) {
    file = readConfigFile(context.io.env, context.io.cwd);
    files.set(context, file);
  }
  return file;
}
