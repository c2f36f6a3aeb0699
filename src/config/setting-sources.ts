import { dirname } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { quote } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { isSettingName, LIST_SETTINGS, SETTINGS, type SettingName } from "./settings.js";

/** Where a value came from, so that a message names what the operator wrote, and a relative path means one folder. */
export interface Source {
  /** `PATCHWARDEN_OUTPUT`, or ``output in `/etc/patchwarden/patchwarden.toml` ``. */
  name: string;
  /**
   * The folder a relative path starts from: the working folder for a variable, the config file's
   * own folder for the file, so the server and an operator command run elsewhere name one folder.
   */
  base: string;
}

export interface MergedSettings {
  values: Partial<Record<SettingName, unknown>>;
  sources: Partial<Record<SettingName, Source>>;
  diagnostics: Diagnostic[];
}

/**
 * The environment over the config file, each value with its source. Only list settings take a TOML
 * list (joined as their comma-separated form): joined, any other would become one value with commas
 * in it, such as a gate label that no issue carries. `filePath` null: the caller knows no file
 * (a test), and relative paths in it start from `cwd`.
 */
export function mergeSettings(env: Readonly<Record<string, string | undefined>>, file: Readonly<Record<string, unknown>>, filePath: string | null, cwd: string): MergedSettings {
  const merged: MergedSettings = { values: {}, sources: {}, diagnostics: [] };
  const inFile = (key: string): Source => ({ name: filePath === null ? `${key} in the config file` : `${key} in \`${filePath}\``, base: filePath === null ? cwd : dirname(filePath) });
  for (const [name, variable] of Object.entries(SETTINGS) as Array<[SettingName, string]>) {
    const fromEnv = env[variable];
    const fromFile = file[name];
    if (fromEnv !== undefined && fromEnv !== "") {
      merged.values[name] = fromEnv;
      merged.sources[name] = { name: variable, base: cwd };
    } else if (fromFile !== undefined) {
      const source = inFile(name);
      if (Array.isArray(fromFile) && !LIST_SETTINGS.has(name)) {
        merged.diagnostics.push({ path: source.name, message: "give one value in quotes, not a list" });
        continue;
      }
      merged.values[name] = Array.isArray(fromFile) ? fromFile.join(",") : typeof fromFile === "number" ? String(fromFile) : fromFile;
      merged.sources[name] = source;
    }
  }
  for (const key of Object.keys(file)) {
    if (!isSettingName(key)) merged.diagnostics.push({ path: inFile(key).name, message: `unknown setting ${quote(key)}${didYouMean(key, Object.keys(SETTINGS)) || `; known: ${Object.keys(SETTINGS).join(", ")}`}` });
  }
  return merged;
}
