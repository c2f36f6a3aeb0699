import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { ConfigError } from "../cli/errors.js";
import { describeFsError } from "../fsutil/read-bounded.js";
import { resolveServerConfig, type ServerConfig } from "./server-config.js";

/** The edge: environment plus the optional TOML file named by PATCHWARDEN_CONFIG. Throws ConfigError listing every problem. */
export async function readServerConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<ServerConfig> {
  let file: Record<string, unknown> = {};
  const configPath = env["PATCHWARDEN_CONFIG"];
  if (configPath !== undefined && configPath !== "") {
    const path = resolve(cwd, configPath);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new ConfigError(`PATCHWARDEN_CONFIG: cannot read \`${path}\` (${describeFsError(error)}); fix the path or unset it`);
    }
    try {
      file = parseToml(text) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`PATCHWARDEN_CONFIG: \`${path}\` is not valid TOML: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
    }
  }
  const result = resolveServerConfig(env, file, cwd);
  if (!result.ok) throw new ConfigError(`invalid configuration\n${result.diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join("\n")}`);
  return result.config;
}
