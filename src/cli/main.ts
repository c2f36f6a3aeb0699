#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";
import { againWhen, ForgejoError } from "../forgejo/forgejo-error.js";
import { PolicyLoadError } from "../policy/policy-load-error.js";
import { ProposalNotFound } from "../queue/proposal-not-found.js";
import type { Command, OptionSpec } from "./command.js";
import { COMMANDS, type CommandEntry } from "./commands/index.js";
import { CheckFailed, ConfigError, UsageError } from "./errors.js";
import { EXIT } from "./exit-codes.js";
import { processIO, type CliIO } from "./io.js";
import { unusablePathError } from "./path-errors.js";
import { echo } from "./user-paths.js";
import { packageVersion } from "./version.js";

/** Runs one command line; returns the exit status. The only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`patchwarden${error.command ? ` ${error.command}` : ""}: ${error.message}\nrun \`patchwarden ${error.command ?? ""}${error.command ? " " : ""}--help\` for usage\n`);
      return EXIT.cannotRun;
    }
    if (error instanceof ProposalNotFound) {
      io.stderr(`patchwarden: ${error.message}\n`);
      return EXIT.cannotRun;
    }
    if (error instanceof ForgejoError) {
      // True of a failure before anything was recorded; `queue approve` says itself what a failed
      // post left behind (an approval, maybe a lock).
      io.stderr(`patchwarden: Forgejo: ${error.message}\nnothing is lost: the proposal keeps its state, so run the command again ${againWhen(error)}\n`);
      return EXIT.internalError;
    }
    if (error instanceof PolicyLoadError || error instanceof ConfigError) {
      io.stderr(`patchwarden: ${error.message}\n`);
      return EXIT.cannotRun;
    }
    if (error instanceof CheckFailed) {
      io.stderr(`patchwarden: ${error.message}\n`);
      return EXIT.internalError;
    }
    const unusable = unusablePathError(error);
    if (unusable !== null) {
      io.stderr(`patchwarden: ${unusable.message}\n`);
      return EXIT.cannotRun;
    }
    io.stderr(`patchwarden: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nthis is a bug; please report it with the command you ran\n`);
    return EXIT.internalError;
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout(globalHelp(await loadAll(COMMANDS)));
    return EXIT.ok;
  }
  if (first === "--version" || first === "-V") {
    io.stdout(`patchwarden ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === `${first} ${second ?? ""}`) ?? COMMANDS.find((c) => c.name === first);
  if (entry === undefined) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
    if (group.length > 0) {
      if (second === undefined || second === "--help" || second === "-h") {
        io.stdout(groupHelp(first, await loadAll(group)));
        return second === undefined ? EXIT.cannotRun : EXIT.ok;
      }
      throw new UsageError(`unknown subcommand ${echo(`${first} ${second}`)}; use one of: ${group.map((c) => c.name).join(", ")}`);
    }
    throw new UsageError(`unknown command ${echo(first)}; run \`patchwarden --help\` for the list`);
  }
  const command = await entry.load();
  const rest = argv.slice(command.name.split(" ").length);
  const options = { ...command.options, help: { type: "boolean", short: "h" } } satisfies OptionSpec;
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(describeParseError(error, rest), command.name);
  }
  const repeated = repeatedOption(parsed.tokens, options);
  if (repeated !== null) throw new UsageError(repeated, command.name);
  if (parsed.values.help === true) {
    io.stdout(`usage: ${command.usage}\n\n${command.help}\n`);
    return EXIT.ok;
  }
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const got = parsed.positionals.length === 0 ? "none" : parsed.positionals.map((p) => echo(p)).join(" ");
    throw new UsageError(`expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${got}; usage: ${command.usage}`, command.name);
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (error) {
    if (error instanceof UsageError && error.command === undefined) throw new UsageError(error.message, command.name);
    throw error;
  }
}

function describeParseError(error: unknown, args: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${echo(unknown[1]!)}`;
  const needsValue = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (needsValue) return `option ${echo(needsValue[1]!)} needs a value`;
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return describeAmbiguous(ambiguous[1]!, message, args);
  // Node's own words may quote what was typed: made as safe as an echoed value.
  return message.split("\n")[0]!.replace(/^./, (c) => c.toLowerCase()).replace(UNSAFE_CHARACTERS, " ");
}

/** `--reason -x`: Node will not guess whether `-x` is the value; its hint (`--reason=-XYZ`) says how to write it, so it is kept. */
function describeAmbiguous(option: string, message: string, args: readonly string[]): string {
  const forms = [...message.matchAll(/'([^']*-XYZ)'/g)].map((match) => match[1]!);
  const value = args[args.indexOf(option) + 1];
  if (value === undefined || forms.length === 0) {
    return `option ${echo(option)} needs a value, and what follows it starts with a dash; to give a value that starts with a dash, write ${forms.map((form) => echo(form)).join(" or ") || echo(`${option}=-VALUE`)}`;
  }
  return `option ${echo(option)} needs a value, and ${echo(value)} starts with a dash; if ${echo(value)} is the value, write ${forms.map((form) => echo(form.replace("-XYZ", () => value))).join(" or ")}, else give ${option} its value`;
}

/** A single-valued option given more than once: refused, since taking the last would silently drop the first. */
function repeatedOption(tokens: ReadonlyArray<{ kind: string; name?: string; value?: string | undefined }>, options: OptionSpec): string | null {
  const seen = new Map<string, Array<string | undefined>>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined || options[token.name]?.multiple === true) continue;
    seen.set(token.name, [...(seen.get(token.name) ?? []), token.value]);
  }
  for (const [name, values] of seen) {
    if (values.length < 2 || name === "help") continue;
    const times = values.length === 2 ? "twice" : `${values.length} times`;
    const given = values.every((value) => value !== undefined) ? ` (${values.map((value) => echo(value)).join(", ")})` : "";
    return `--${name}: given ${times}${given}; give it once`;
  }
  return null;
}

function loadAll(entries: readonly CommandEntry[]): Promise<Command[]> {
  return Promise.all(entries.map((entry) => entry.load()));
}

function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `patchwarden ${packageVersion()} — the supervised-repair gate for Iskra/OpenClaw.
Iskra owns the evidence, Patchwarden owns the gate, the operator owns approval.
Patchwarden never restarts, deploys, applies or syncs anything.

usage: patchwarden <command> [options]

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

run \`patchwarden <command> --help\` for a command's options; \`patchwarden --version\` for the version.
`;
}

function groupHelp(group: string, commands: readonly Command[]): string {
  return `usage: patchwarden ${group} <subcommand>\n\n${commands.map((c) => `  ${c.usage}\n      ${c.summary}`).join("\n")}\n`;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Before any file I/O: the server's inbox writes must not queue behind evaluation's in libuv's
  // default four-thread pool. An operator's own setting wins.
  process.env["UV_THREADPOOL_SIZE"] ??= "16";
  const code = await main(process.argv.slice(2), processIO());
  process.exitCode = code;
}
