import { userInfo } from "node:os";
import { resolve } from "node:path";
import type { CommandContext } from "./command.js";
import { stringOption } from "./options.js";

/** The data folder the server writes: --data-dir, else PATCHWARDEN_DATA_DIR, else ./data. */
export function dataDirOption(context: CommandContext): string {
  return resolve(context.io.cwd, stringOption(context, "data-dir") ?? context.io.env["PATCHWARDEN_DATA_DIR"] ?? "data");
}

/** Who is acting: --actor, else PATCHWARDEN_OPERATOR, else the local user. Recorded in history and receipts. */
export function actorOption(context: CommandContext): string {
  const given = stringOption(context, "actor") ?? context.io.env["PATCHWARDEN_OPERATOR"];
  if (given !== undefined && given.length > 0) return given;
  try {
    return userInfo().username;
  } catch {
    return "operator";
  }
}

export const DATA_DIR_OPTION = { "data-dir": { type: "string" } } as const;
