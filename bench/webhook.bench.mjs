// Issue #4 §5: signed deliveries through a real socket on loopback, against the floor (a bare Hono
// endpoint that only verifies the HMAC); latency at 1,000 deliveries/s; 10,000 deliveries with 10%
// redelivered (as Forgejo's Redeliver sends them: a new delivery id, the same signed bytes) → no
// proposal lost or duplicated; the server's resident memory throughout.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { SERVE_NODE_FLAGS } from "../dist/server/heap-tuning.js";
import { check, fmt } from "./harness.mjs";
import { pacedLoad, percentiles } from "./load/paced-load.mjs";
import { startFakeForgejo } from "./servers/fake-forgejo.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECRET = "bench-secret-0123456789abcdef";
const REPO = "root/example-push";

export async function run() {
  const template = JSON.parse(await readFile(join(ROOT, "fixtures/forgejo/payloads/synthesized/issues__label_updated.json"), "utf8"));
  template.issue.labels = [{ name: "gate/review" }];
  // A payload for issue `number`, signed; a delivery is one under an id (a redelivery reuses both).
  const signedPayload = (number) => {
    template.issue.number = number;
    const body = JSON.stringify(template, null, 2);
    return { body, signature: createHmac("sha256", SECRET).update(body).digest("hex") };
  };
  const withId = ({ body, signature }, id) => ({ body, headers: { "content-type": "application/json", "x-forgejo-event": "issues", "x-forgejo-event-type": "issue_label", "x-forgejo-delivery": id, "x-forgejo-signature": signature } });
  let counter = 0;
  const uniqueRequest = (req) => {
    const n = ++counter;
    return { ...req, method: "POST", path: "/webhooks/forgejo", ...withId(signedPayload(n), `burst-${n}`) };
  };
  console.log(`\npayload: ${(Buffer.byteLength(signedPayload(1).body) / 1024).toFixed(1)} KiB (the synthesized issue_label delivery), signed per request; each accepted delivery costs the worker two Forgejo reads, an evaluation, receipts and a proposal`);

  const forgejo = await startFakeForgejo();
  const floor = await startChild([join(ROOT, "bench/servers/floor-server.mjs")], { PATCHWARDEN_WEBHOOK_SECRET: SECRET });
  const floorParse = await startChild([join(ROOT, "bench/servers/floor-server.mjs")], { PATCHWARDEN_WEBHOOK_SECRET: SECRET, FLOOR_PARSE: "1" });
  const gates = [];
  let ok = true;
  try {
    // 1. Throughput, closed loop: 16, 64 and 128 connections, 6 s each after 2 s of warm-up, floor
    // first; the target compares each server's best. A fresh gate per step: evaluation yields to
    // the burst, and the backlog (tens of thousands of jobs) would take minutes to evaluate.
    const load = (url, connections, duration) => autocannon({ url: `${url}/webhooks/forgejo`, connections, duration, requests: [{ setupRequest: uniqueRequest }] });
    const sweep = [];
    for (const connections of [16, 64, 128]) {
      await load(floor.url, connections, 2);
      const floorRun = await load(floor.url, connections, 6);
      await load(floorParse.url, connections, 2);
      const parseRun = await load(floorParse.url, connections, 6);
      const burstGate = await startGate(forgejo.origin);
      gates.push(burstGate);
      await load(burstGate.url, connections, 2);
      const gateRun = await load(burstGate.url, connections, 6);
      burstGate.child.kill("SIGKILL");
      sweep.push({ connections, floorRun, parseRun, gateRun });
    }
    console.log("\n| connections | floor: bare Hono endpoint, HMAC only | p99 | floor + JSON.parse (context) | p99 | patchwarden: verify, parse, classify, dedupe, fsync'd inbox, log, 202 | p99 | patchwarden / floor |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const { connections, floorRun, parseRun, gateRun } of sweep) {
      console.log(`| ${connections} | ${perSecond(floorRun)} | ${fmt(floorRun.latency.p99)} | ${perSecond(parseRun)} | ${fmt(parseRun.latency.p99)} | ${perSecond(gateRun)} | ${fmt(gateRun.latency.p99)} | ${((gateRun.requests.average / floorRun.requests.average) * 100).toFixed(0)}% |`);
    }
    const floorBest = Math.max(...sweep.map((s) => s.floorRun.requests.average));
    const gateBest = Math.max(...sweep.map((s) => s.gateRun.requests.average));
    ok = check("throughput at least 70% of the floor (best against best)", gateBest / floorBest >= 0.7, `${Math.round(gateBest).toLocaleString("en-US")}/s against ${Math.round(floorBest).toLocaleString("en-US")}/s: ${((gateBest / floorBest) * 100).toFixed(0)}%`) && ok;
    const failures = sweep.reduce((n, s) => n + s.gateRun.non2xx + s.gateRun.errors, 0);
    ok = check("every delivery answered 2xx", failures === 0, `${failures} non-2xx or errors`) && ok;

    // 2. 10,000 deliveries at 1,000/s, open loop, 1,000 of them redeliveries; then every one evaluated.
    const plan = redeliveryPlan(9000);
    // Each original signed once; its redeliveries send those very bytes and that signature.
    const deliveries = (firstIssue) => {
      const payloads = new Map();
      return plan.map(({ id, of }) => {
        if (!payloads.has(of)) payloads.set(of, signedPayload(firstIssue + of));
        return withId(payloads.get(of), id);
      });
    };
    const floorPaced = await pacedLoad(`${floor.url}/webhooks/forgejo`, 1000, deliveries(2_000_000));
    const gate = await startGate(forgejo.origin);
    gates.push(gate);
    const paced = await pacedLoad(`${gate.url}/webhooks/forgejo`, 1000, deliveries(1_000_000));
    const drainStart = performance.now();
    await waitForIdle(gate.url);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    console.log("\n| 1,000 deliveries/s for 10 s, open loop | p50 | p99 | max | non-2xx |\n| --- | ---: | ---: | ---: | ---: |");
    for (const [name, r] of [["floor", floorPaced], ["patchwarden (10% redelivered)", paced]]) {
      const [p50, p99, max] = percentiles(r.latencies, 0.5, 0.99, 1);
      console.log(`| ${name} | ${fmt(p50)} | ${fmt(p99)} | ${fmt(max)} | ${r.errors + [...r.statuses].filter(([code]) => code >= 300).reduce((a, [, n]) => a + n, 0)} |`);
    }
    const [, p99] = percentiles(paced.latencies, 0.5, 0.99);
    ok = check("p99 under 20 ms at 1,000 deliveries/s", p99 < 20, fmt(p99)) && ok;

    const answers = { accepted: 0, duplicate: 0, other: 0 };
    for (const text of paced.bodies) {
      const status = text === undefined ? "other" : JSON.parse(text).status;
      answers[status === "accepted" || status === "duplicate" ? status : "other"]++;
    }
    const proposals = await proposalsByDelivery(gate.dataDir);
    // A proposal per original, under the original's id; a redelivery's id on one means it was evaluated again.
    const originals = plan.filter((d) => d.id.startsWith("d-")).map((d) => d.id);
    const duplicated = [...proposals.values()].filter((n) => n > 1).length + [...proposals.keys()].filter((id) => !id?.startsWith("d-")).length;
    const missing = originals.filter((id) => !proposals.has(id)).length;
    console.log(`\n10,000 deliveries, 1,000 of them redeliveries under new ids (500 right behind their original, 500 up to 3 s later): ${answers.accepted} accepted, ${answers.duplicate} answered duplicate, ${answers.other} other; ${proposals.size} deliveries have a proposal`);
    console.log(`evaluation after the burst: 9,000 jobs in ${drainSeconds.toFixed(1)} s (${Math.round(9000 / drainSeconds)} jobs/s, one at a time)`);
    ok = check("zero lost and zero duplicated proposals", missing === 0 && duplicated === 0 && proposals.size === 9000 && answers.accepted === 9000 && answers.duplicate === 1000, `${missing} lost, ${duplicated} duplicated`) && ok;
    const peaks = gates.map((g) => g.rss.stop());
    ok = check("resident memory under 150 MB", Math.max(...peaks) < 150, `peaks ${peaks.slice(0, -1).map((mb) => `${mb.toFixed(0)}`).join(", ")} MB in the throughput runs, ${peaks.at(-1).toFixed(0)} MB over 10,000 deliveries and their evaluation`) && ok;
    return { ok, results: { floor: floorBest, gate: gateBest, p99, drainSeconds, peaks } };
  } finally {
    floor.child.kill();
    floorParse.child.kill();
    for (const gate of gates) {
      gate.rss.stop();
      if (gate.child.exitCode === null && gate.child.signalCode === null) {
        gate.child.kill("SIGTERM");
        await new Promise((resolve) => gate.child.once("exit", resolve));
      }
      await rm(gate.dataDir, { recursive: true, force: true });
    }
    await forgejo.close();
  }
}

/**
 * 9,000 originals (`d-<k>`) and 1,000 redeliveries of them, each `{ id, of: k }`. A redelivery is what
 * Forgejo's Redeliver sends: a new delivery id (`r-<n>`) and the original's bytes. Half of them come
 * right behind their original, half up to 3,000 deliveries later.
 */
function redeliveryPlan(unique) {
  const later = new Map();
  const plan = [];
  let redeliveries = 0;
  const redeliver = (k) => plan.push({ id: `r-${++redeliveries}`, of: k });
  for (let k = 0; k < unique; k++) {
    plan.push({ id: `d-${k}`, of: k });
    if (k % 18 === 0) redeliver(k);
    if (k % 18 === 9) later.set(Math.min(k + 3000, unique - 1), [...(later.get(Math.min(k + 3000, unique - 1)) ?? []), k]);
    for (const original of later.get(k) ?? []) redeliver(original);
  }
  return plan;
}

function perSecond(run) {
  return Math.round(run.requests.average).toLocaleString("en-US");
}

async function startGate(forgejoOrigin) {
  const dataDir = await mkdtemp(join(tmpdir(), "pw-bench-"));
  // Started as `npm start` and the systemd unit start it, with their node flags. GATE_NODE_FLAGS
  // replaces them, to compare: `--heap-growing-percent=0 --max-semi-space-size=16` is node's default heap.
  const nodeFlags = process.env.GATE_NODE_FLAGS === undefined ? SERVE_NODE_FLAGS : process.env.GATE_NODE_FLAGS.split(" ").filter(Boolean);
  const started = await startChild([...nodeFlags, join(ROOT, "dist/cli/main.js"), "serve"], {
    PATCHWARDEN_WEBHOOK_SECRET: SECRET,
    PATCHWARDEN_DATA_DIR: dataDir,
    PATCHWARDEN_LISTEN: "127.0.0.1:0",
    PATCHWARDEN_FORGEJO_URL: forgejoOrigin,
    PATCHWARDEN_REPOS: REPO,
    PATCHWARDEN_OPERATORS: "root",
    PATCHWARDEN_GATE_LABEL: "gate/review",
  });
  return { ...started, dataDir, rss: sampleRss(started.child.pid) };
}

async function startChild(args, env) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    // Only the start-up lines are kept: the server logs a line per delivery, and holding (and
    // searching) all of them would make this process, which also drives the load, the bottleneck.
    let err = "";
    let started = false;
    child.stderr.on("data", (chunk) => {
      if (started) return;
      err += chunk;
      const line = /"event":"server.started","url":"([^"]+)"/.exec(err);
      if (line) {
        started = true;
        resolve({ child, url: line[1] });
      }
    });
    child.stdout.on("data", (chunk) => {
      const port = /"port":(\d+)/.exec(String(chunk));
      if (port) resolve({ child, url: `http://127.0.0.1:${port[1]}` });
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}: ${err}`)));
  });
}

function sampleRss(pid) {
  let max = 0;
  const timer = setInterval(async () => {
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      max = Math.max(max, kb / 1024);
    } catch {}
  }, 100);
  return { stop: () => (clearInterval(timer), max) };
}

async function waitForIdle(url) {
  for (;;) {
    const health = await (await fetch(`${url}/healthz`)).json();
    if (health.backlog === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function proposalsByDelivery(dataDir) {
  const folder = join(dataDir, "queue", "proposals");
  const counts = new Map();
  for (const name of (await readdir(folder)).filter((n) => n.endsWith(".json"))) {
    const id = JSON.parse(await readFile(join(folder, name), "utf8")).delivery?.id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
