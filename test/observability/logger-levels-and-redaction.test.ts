import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/observability/logger.js";

const at = () => Date.parse("2026-11-21T05:00:00Z");

describe("the JSON logger", () => {
  it("writes each line at the level it was logged at", () => {
    const lines: string[] = [];
    const log = jsonLogger((line) => void lines.push(line), at);
    log.info("a");
    log.warn("b");
    log.error("c");
    expect(lines.map((line) => (JSON.parse(line) as { level: string; event: string }))).toEqual([
      { time: "2026-11-21T05:00:00.000Z", level: "info", event: "a" },
      { time: "2026-11-21T05:00:00.000Z", level: "warn", event: "b" },
      { time: "2026-11-21T05:00:00.000Z", level: "error", event: "c" },
    ]);
  });

  it("redacts fields named like a signature or a cookie", () => {
    const lines: string[] = [];
    jsonLogger((line) => void lines.push(line), at).warn("x", { signature: "sha256=abc", "x-forgejo-signature": "abc", cookie: "pw_session=abc", "set-cookie": "pw_csrf=abc", delivery: "d-1" });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: "2026-11-21T05:00:00.000Z",
      level: "warn",
      event: "x",
      signature: "[redacted]",
      "x-forgejo-signature": "[redacted]",
      cookie: "[redacted]",
      "set-cookie": "[redacted]",
      delivery: "d-1",
    });
    expect(lines[0]).not.toContain("abc");
  });
});
