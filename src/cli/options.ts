import { parseIsoTime } from "../time/iso-time.js";
import type { CommandContext } from "./command.js";
import { UsageError } from "./errors.js";

export function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === "string" ? value : undefined;
}

export function requiredOption(context: CommandContext, name: string, example: string): string {
  const value = stringOption(context, name);
  if (value === undefined || value.length === 0) throw new UsageError(`--${name}: missing; give it, e.g. \`--${name} ${example}\``);
  return value;
}

export function choiceOption<T extends string>(context: CommandContext, name: string, choices: readonly T[], fallback: T): T {
  const value = stringOption(context, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name}: unknown value \`${value}\`; use one of ${choices.join(", ")}`);
  }
  return value as T;
}

/** --now lets an operator replay a past decision; without it, the real clock (read here, at the edge). */
export function nowOption(context: CommandContext): number {
  const value = stringOption(context, "now");
  if (value === undefined) return context.io.now();
  const ms = parseIsoTime(value);
  if (ms === null) {
    throw new UsageError(`--now: \`${value}\` is not an ISO-8601 time with seconds and an explicit offset; write it like \`2026-11-21T05:00:00Z\``);
  }
  return ms;
}
