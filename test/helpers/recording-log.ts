import type { Logger } from "../../src/observability/logger.js";

/** A logger that keeps every line it is given, with its level, for a test to read. */
export function recordingLog() {
  const lines: Array<{ level: string; event: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (event: string, fields: Record<string, unknown> = {}) => void lines.push({ level, event, fields });
  const log: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
}
