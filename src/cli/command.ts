import type { ParseArgsConfig } from "node:util";
import type { CliIO } from "./io.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  io: CliIO;
}

export interface Command {
  /** One or two words: `runtime-repair-check`, `policy validate`. */
  name: string;
  summary: string;
  /** The whole --help text after the usage line. */
  help: string;
  usage: string;
  options: OptionSpec;
  positionals: { min: number; max: number };
  run(context: CommandContext): Promise<number>;
}
