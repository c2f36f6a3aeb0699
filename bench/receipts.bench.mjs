// Issue #5 §4: receipts appended per second with fsync (and without, for context), and the time to
// verify a log of 1,000,000 receipts (target: under 5 s). Logs are written under os.tmpdir() and
// removed afterwards; the million-receipt log is ~650 MB.
import { generateKeyPairSync } from "node:crypto";
import { open, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { readLeaseState } from "../dist/locks/lease-view.js";
import { makeHead, writeHead } from "../dist/receipts/head-file.js";
import { receiptPaths } from "../dist/receipts/data-dir.js";
import { GENESIS_HASH } from "../dist/receipts/receipt-schema.js";
import { ReceiptLog } from "../dist/receipts/receipt-log.js";
import { sealReceipt, validateDraft } from "../dist/receipts/seal.js";
import { keyIdOf, signerFromKey } from "../dist/receipts/signing.js";
import { verifyReceiptLog } from "../dist/receipts/verify-log.js";
import { formatIsoTime } from "../dist/time/iso-time.js";
import { check, fmt, formatRow, measure } from "./harness.mjs";

const MILLION = 1_000_000;
const T0 = Date.parse("2026-11-21T05:00:00Z");

// The kinds a gate writes most, as the server would: a verdict, a proposal and its approval, a lock.
const TEMPLATES = [
  {
    kind: "verdict",
    actor: "patchwarden",
    verdict: "needs_human",
    repair_class: "gateway_restart",
    bundle_digest: `sha256:${"8e".repeat(32)}`,
    policy_digest: `sha256:${"1e".repeat(32)}`,
    engine_version: "1.0.0",
    reason_codes: ["mutation_requires_operator", "hard_manual_class"],
    evaluated_at: "2026-11-21T05:00:00.000Z",
    repair_target: { host: "iskra-1", service: "openclaw-gateway" },
    target: { repo: "iskra/ops", issue: 68 },
  },
  {
    kind: "proposal.approved",
    actor: "alice",
    proposal_id: "p_0123456789abcdef0123",
    target: { repo: "iskra/ops", issue: 68 },
    verdict: "needs_human",
    bundle_digest: `sha256:${"8e".repeat(32)}`,
    policy_digest: `sha256:${"1e".repeat(32)}`,
  },
  {
    kind: "lock.acquired",
    actor: "alice",
    lock_id: "lk-3f9a2c71d0e4",
    repair_target: { host: "iskra-1", service: "openclaw-gateway" },
    owner: "alice",
    reason: "gateway restart approved on iskra/ops#68",
    expires_at: "2026-11-21T07:00:00.000Z",
    proposal_id: "p_0123456789abcdef0123",
  },
  { kind: "proposal.posted", actor: "alice", proposal_id: "p_0123456789abcdef0123", target: { repo: "iskra/ops", issue: 68 }, comment_id: 4242 },
].map(validateDraft);

export async function run() {
  const root = await mkdtemp(join(os.tmpdir(), "pw-bench-receipts-"));
  try {
    let ok = true;
    const results = {};

    console.log("\n### Appends (one receipt per call, through ReceiptLog: mutex, tail check, append, head)\n");
    console.log("| run | receipts/s | p50 | p99 | mean |\n| --- | ---: | ---: | ---: | ---: |");
    const appendRows = [];
    for (const [label, durable, iterations] of [
      ["fsync (log, head and folder)", true, 1500],
      ["no fsync (page cache only), for context", false, 3000],
    ]) {
      const log = await ReceiptLog.open(join(root, `append-${durable}`), { durable });
      let n = 0;
      const row = await measure(label, () => log.append(TEMPLATES[n++ % TEMPLATES.length]), { iterations, async: true });
      console.log(formatRow(row));
      appendRows.push(row);
    }
    const batch = await ReceiptLog.open(join(root, "append-batch"), { durable: true });
    const batchRow = await measure("fsync, 100 receipts per call (appendAll)", () => batch.appendAll(Array.from({ length: 100 }, (_, i) => TEMPLATES[i % 4])), { iterations: 100, async: true });
    console.log(formatRow({ ...batchRow, opsPerSec: batchRow.opsPerSec * 100 }));
    results.appends = [...appendRows, { ...batchRow, opsPerSec: batchRow.opsPerSec * 100 }];
    console.log("\n(receipts/s for the batch row counts receipts; its latencies are per call of 100)");

    console.log(`\n### Verify ${MILLION.toLocaleString("en-US")} receipts\n`);
    const big = join(root, "million");
    const generated = await generateLog(big, MILLION);
    console.log(`generated ${MILLION.toLocaleString("en-US")} receipts, ${(generated.bytes / 2 ** 20).toFixed(0)} MiB, in ${(generated.ms / 1000).toFixed(1)} s (sealReceipt, not timed below)`);
    const paths = receiptPaths(big);
    const times = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const report = await verifyReceiptLog({ log: paths.log, head: paths.head, requireHead: true });
      times.push(performance.now() - started);
      if (!report.ok || report.receipts !== MILLION) throw new Error(`the generated log did not verify: ${JSON.stringify(report.problem)}`);
    }
    times.sort((a, b) => a - b);
    const median = times[1];
    console.log(`verify: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(", ")} (median ${(median / 1000).toFixed(2)} s, ${(generated.bytes / 2 ** 20 / (median / 1000)).toFixed(0)} MiB/s, ${Math.round(MILLION / (median / 1000)).toLocaleString("en-US")} receipts/s)`);
    ok = check("verify 1,000,000 receipts under 5 s (median of 3)", median < 5000, fmt(median)) && ok;

    const foldStarted = performance.now();
    const leases = await readLeaseState(big);
    const foldMs = performance.now() - foldStarted;
    console.log(`lock state from the whole log (a fresh process's first \`lock status\`): ${fmt(foldMs)}, ${leases.leases.size} lease(s) held`);
    results.verify = { receipts: MILLION, bytes: generated.bytes, runsMs: times, medianMs: median, lockFoldMs: foldMs };
    await rm(big, { recursive: true, force: true });

    console.log("\n### Verify signed receipts (ed25519 per receipt)\n");
    const signedDir = join(root, "signed");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const signedCount = 20_000;
    await generateLog(signedDir, signedCount, signerFromKey(privateKey));
    const signedPaths = receiptPaths(signedDir);
    const keys = new Map([[keyIdOf(publicKey), publicKey]]);
    const signedStarted = performance.now();
    const signedReport = await verifyReceiptLog({ log: signedPaths.log, head: signedPaths.head, requireHead: true, keys });
    const signedMs = performance.now() - signedStarted;
    if (!signedReport.ok) throw new Error(`the signed log did not verify: ${JSON.stringify(signedReport.problem)}`);
    const perSecond = signedCount / (signedMs / 1000);
    console.log(`${signedCount.toLocaleString("en-US")} signed receipts, every signature checked: ${fmt(signedMs)} (${Math.round(perSecond).toLocaleString("en-US")} receipts/s; 1,000,000 would take ~${(MILLION / perSecond).toFixed(0)} s)`);
    const headStarted = performance.now();
    const headReport = await verifyReceiptLog({ log: signedPaths.log, head: signedPaths.head, requireHead: true, keys, signatures: "head" });
    const headMs = performance.now() - headStarted;
    if (!headReport.ok) throw new Error(`the signed log did not verify through its head: ${JSON.stringify(headReport.problem)}`);
    console.log(`the same, --signatures head (the signed head covers the chain): ${fmt(headMs)} (${Math.round(signedCount / (headMs / 1000)).toLocaleString("en-US")} receipts/s)`);
    results.signed = { receipts: signedCount, ms: signedMs, perSecond, headMs };
    return { ok, results };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Writes `count` chained receipts straight to a data folder's log, as ReceiptLog would, in large writes. */
async function generateLog(dataDir, count, signer) {
  const paths = receiptPaths(dataDir);
  await mkdir(paths.dir, { recursive: true });
  const started = performance.now();
  const handle = await open(paths.log, "w");
  let prev = GENESIS_HASH;
  let chunk = [];
  let time = formatIsoTime(T0);
  for (let seq = 1; seq <= count; seq++) {
    if (seq % 1000 === 0) time = formatIsoTime(T0 + seq);
    const { receipt, line } = sealReceipt(TEMPLATES[seq % TEMPLATES.length], { seq, time, prev }, signer);
    prev = receipt.hash;
    chunk.push(line);
    if (chunk.length === 10_000) {
      await handle.write(chunk.join(""));
      chunk = [];
    }
  }
  await handle.write(chunk.join(""));
  await handle.close();
  await writeHead(paths.head, makeHead(count, prev, time, signer), false);
  return { bytes: (await stat(paths.log)).size, ms: performance.now() - started };
}
