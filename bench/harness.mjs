// Small measuring harness: warm up, then time each iteration with hrtime and report throughput and
// latency percentiles. Runs are sequential in one process, so suites compared in one table share
// the machine state.
import { performance } from "node:perf_hooks";

export async function measure(name, fn, { iterations, warmup = Math.ceil(iterations / 10), async = false } = {}) {
  for (let i = 0; i < warmup; i++) async ? await fn() : fn();
  globalThis.gc?.();
  const samples = new Float64Array(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    async ? await fn() : fn();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const totalMs = performance.now() - started;
  samples.sort();
  return {
    name,
    iterations,
    opsPerSec: iterations / (totalMs / 1000),
    meanMs: samples.reduce((a, b) => a + b, 0) / iterations,
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
  };
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function formatRow(r) {
  return `| ${r.name} | ${Math.round(r.opsPerSec).toLocaleString("en-US")} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.meanMs)} |`;
}

export function fmt(ms) {
  return ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}

export const TABLE_HEAD = "| run | evaluations/s | p50 | p99 | mean |\n| --- | ---: | ---: | ---: | ---: |";

export function check(label, ok, detail) {
  console.log(`${ok ? "PASS" : "MISS"}  ${label}: ${detail}`);
  return ok;
}
