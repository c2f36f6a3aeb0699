import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/observability/logger.js";

// A field named `level`, `event` or `time` must not rewrite what the line says it is (an `error` read as `info`, another event).
describe("the JSON logger keeps its own time, level and event", () => {
  it("ignores fields that would overwrite them", () => {
    const lines: string[] = [];
    jsonLogger((line) => void lines.push(line), () => Date.parse("2026-11-21T12:00:00Z")).error("delivery_refused", { level: "info", event: "delivery_accepted", time: "1999-01-01T00:00:00Z", repo: "o/r" });
    expect(JSON.parse(lines[0]!)).toEqual({ time: "2026-11-21T12:00:00.000Z", level: "error", event: "delivery_refused", repo: "o/r" });
  });
});
