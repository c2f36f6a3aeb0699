import { safeJson } from "./safe-json.js";

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const SECRET_KEY = /token|secret|password|authorization|signature|cookie/i;

/**
 * One JSON object per line, on stderr (stdout carries proposals in stdout mode). Any field whose
 * name looks like a credential is replaced, so no code path can log a secret by accident, and no
 * text it did not write can end a line or change how one displays (see escapeUnsafe).
 */
export function jsonLogger(write: (line: string) => void = (line) => void process.stderr.write(line), now: () => number = Date.now): Logger {
  const emit = (level: LogLevel, event: string, fields: LogFields = {}) => {
    const entry: LogFields = { time: new Date(now()).toISOString(), level, event };
    for (const [key, value] of Object.entries(fields)) {
      // time, level and event are the line's own; a field may not overwrite them.
      if (key === "time" || key === "level" || key === "event") continue;
      entry[key] = SECRET_KEY.test(key) ? "[redacted]" : value;
    }
    write(safeJson(entry));
  };
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
