// An open-loop load at a fixed rate: delivery i is due at start + i/rate and is sent then, whether or
// not earlier ones have been answered; its latency counts from when it was due, so a stalled server
// cannot hide its stall by slowing the client down (autocannon's overallRate sends in bursts).
import http from "node:http";

/**
 * @param {string} url the endpoint
 * @param {number} rate deliveries per second
 * @param {Array<{ body: string, headers: Record<string, string> }>} deliveries sent in order
 * @returns {Promise<{ latencies: Float64Array, statuses: Map<number, number>, bodies: string[], errors: number, seconds: number }>}
 */
export async function pacedLoad(url, rate, deliveries) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  const latencies = new Float64Array(deliveries.length);
  const bodies = new Array(deliveries.length);
  const statuses = new Map();
  let errors = 0;
  let done = 0;
  const start = performance.now() + 20;
  await new Promise((resolve) => {
    const finish = () => ++done === deliveries.length && resolve();
    let sent = 0;
    const pump = () => {
      const now = performance.now();
      while (sent < deliveries.length && start + (sent * 1000) / rate <= now) {
        const i = sent++;
        const due = start + (i * 1000) / rate;
        const { body, headers } = deliveries[i];
        const req = http.request(target, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => {
            latencies[i] = performance.now() - due;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            bodies[i] = text;
            finish();
          });
        });
        req.on("error", () => {
          errors++;
          latencies[i] = Number.POSITIVE_INFINITY;
          finish();
        });
        req.end(body);
      }
      if (sent < deliveries.length) setImmediate(pump);
    };
    pump();
  });
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { latencies, statuses, bodies, errors, seconds };
}

/** p in [0, 1] over a copy, sorted. */
export function percentiles(values, ...ps) {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
}
