import { describe, expect, it } from "vitest";
import { GateMetrics } from "../../src/observability/metrics.js";

const bucket = (text: string, le: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`patchwarden_evaluation_duration_seconds_bucket{le="${le}"} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("the evaluation time histogram on /metrics", () => {
  it("tells a 50 µs evaluation from a 200 µs one, and counts a slow one below +Inf only up to half a second", async () => {
    const metrics = new GateMetrics({ defaultMetrics: false });
    for (const seconds of [0.00005, 0.0002, 0.3, 2]) metrics.evaluationSeconds.observe(seconds);
    const text = await metrics.registry.metrics();
    expect(bucket(text, "0.0001")).toBe(1);
    expect(bucket(text, "0.00025")).toBe(2);
    expect(bucket(text, "0.1")).toBe(2);
    expect(bucket(text, "0.5")).toBe(3);
    expect(bucket(text, "+Inf")).toBe(4);
  });
});
