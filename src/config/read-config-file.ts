import { resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigError } from "../cli/errors.js";
import { describeFsError, readSmallTextFile } from "../fsutil/read-bounded.js";

export const CONFIG_FILE_VARIABLE = "PATCHWARDEN_CONFIG";
/** Far more than any settings file needs. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ConfigFile {
  /** The file's absolute path; null when PATCHWARDEN_CONFIG is unset. */
  path: string | null;
  values: Record<string, unknown>;
}

/** The TOML file named by PATCHWARDEN_CONFIG, parsed but not validated; unset reads as an empty file. Throws ConfigError. */
export async function readConfigFile(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<ConfigFile> {
  const configPath = env[CONFIG_FILE_VARIABLE];
  if (configPath === undefined || configPath === "") return { path: null, values: {} };
  const path = resolve(cwd, configPath);
  let text: string;
  try {
    text = await readSmallTextFile(path, MAX_CONFIG_BYTES);
  } catch (error) {
    throw new ConfigError(`${CONFIG_FILE_VARIABLE}: cannot read \`${path}\` (${describeFsError(error)}); fix the path or unset it`);
  }
  try {
    return { path, values: parseToml(text) as Record<string, unknown> };
  } catch (error) {
    // The line and column, never smol-toml's excerpt of the file: it could show a token.
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : "";
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.replace(/^Invalid TOML document: /, "");
    throw new ConfigError(`${CONFIG_FILE_VARIABLE}: \`${path}\` is not valid TOML${where} (${reason}); fix the syntax there`);
  }
}
