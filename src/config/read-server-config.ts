import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { ConfigError } from "../cli/errors.js";
import { readConfigFile } from "./read-config-file.js";
import { resolveServerConfig, type ServerConfig } from "./server-config.js";

/** The edge: environment plus the optional TOML file named by PATCHWARDEN_CONFIG. Throws ConfigError listing every problem. */
export async function readServerConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<ServerConfig> {
  const file = await readConfigFile(env, cwd);
  const result = resolveServerConfig(env, file.values, cwd, file.path);
  if (!result.ok) throw new ConfigError(`invalid configuration\n${result.diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join("\n")}`);
  return result.config;
}
