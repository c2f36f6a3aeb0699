// A minimal Forgejo for the webhook benchmark: every issue carries a fresh evidence bundle in a
// fenced block, so each delivery costs the worker two API reads and one evaluation.
import { createServer } from "node:http";

export function startFakeForgejo() {
  const requests = { count: 0 };
  const server = createServer((req, res) => {
    requests.count++;
    const url = new URL(req.url, "http://x");
    let m;
    if ((m = /^\/api\/v1\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname))) {
      return json(res, 200, { id: Number(m[1]) + 1000, number: Number(m[1]), title: "bench", body: fencedBundle(), assets: [], labels: [{ id: 1, name: "gate/review" }], pull_request: null });
    }
    if (/^\/api\/v1\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(url.pathname)) return json(res, 200, []);
    return json(res, 404, { message: "not found" });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) })));
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function fencedBundle() {
  const at = (minutesAgo) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const bundle = {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: at(1),
    producer: { name: "iskra-autoheal" },
    candidate: { repair_class: "runtime_diagnostics", summary: "bench" },
    evidence: [
      { kind: "runtime-truth-report", subject: "gw", generated_at: at(2), status: "pass", data: { ok: true } },
      { kind: "autoheal-dashboard", subject: "iskra", generated_at: at(1), status: "pass", data: { open_incidents: 0 } },
    ],
  };
  return `Evidence:\n\n\`\`\`patchwarden-bundle\n${JSON.stringify(bundle, null, 2)}\n\`\`\`\n`;
}
