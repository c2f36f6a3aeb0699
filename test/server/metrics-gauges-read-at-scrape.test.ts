import { describe, expect, it } from "vitest";
import { GateMetrics } from "../../src/observability/metrics.js";

const value = (text: string, name: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("the metrics gauges, read at each scrape", () => {
  it("read the worker's backlog and the queue's depth at each scrape", async () => {
    const metrics = new GateMetrics({ defaultMetrics: false });
    let backlog = 3;
    metrics.watch({ backlog: () => backlog, queueDepth: async () => ({ pending: 2, approved: 1 }) as never });
    let text = await metrics.registry.metrics();
    expect(value(text, "patchwarden_worker_backlog")).toBe(3);
    expect(value(text, 'patchwarden_queue_proposals{state="pending"}')).toBe(2);
    expect(value(text, 'patchwarden_queue_proposals{state="approved"}')).toBe(1);
    backlog = 0;
    text = await metrics.registry.metrics();
    expect(value(text, "patchwarden_worker_backlog")).toBe(0);
  });
});
