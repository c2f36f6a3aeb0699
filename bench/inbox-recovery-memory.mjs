// Heap held by opening an inbox of 100,000 unfinished deliveries (docs/benchmarks.md, webhook notes):
//   npm run build && node --expose-gc bench/inbox-recovery-memory.mjs
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeliveryLog } from "../dist/inbox/delivery-log.js";

const COUNT = 100_000;
const dir = await mkdtemp(join(tmpdir(), "pw-recovery-memory-"));
try {
  await mkdir(join(dir, "inbox"));
  const lines = Array.from({ length: COUNT }, (_, n) =>
    JSON.stringify({ type: "accepted", delivery: `0f8fad5b-d9cb-469f-a165-${String(n).padStart(12, "0")}`, received_at: "2026-11-21T11:00:00.000Z", event: "issues", event_type: "issue_label", payload_hmac: n.toString(16).padStart(64, "0"), job: { trigger: "label", repo: "root/example-push", number: n, isPull: false, sender: "root" } }),
  );
  await writeFile(join(dir, "inbox", "deliveries.jsonl"), `${lines.join("\n")}\n`);
  lines.length = 0;
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const { log, recovered } = await DeliveryLog.open(dir);
  const ms = performance.now() - started;
  globalThis.gc();
  const held = process.memoryUsage().heapUsed - before;
  console.log(`${COUNT.toLocaleString("en-US")} unfinished deliveries: opened in ${ms.toFixed(0)} ms, ${recovered.unfinished.length.toLocaleString("en-US")} recovered, ${(held / 1e6).toFixed(1)} MB of heap held (delivery ids, content keys, where each line lies)`);
  await log.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
