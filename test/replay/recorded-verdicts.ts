// Receipt logs for the replay tests: verdicts recorded through the CLI, and lines forged on purpose.
import { createHash } from "node:crypto";
import { expect } from "vitest";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { verdictDraft } from "../../src/receipts/drafts.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { readPastVerdicts } from "../../src/replay/past-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

/** One eligible runtime_diagnostics verdict recorded with its evidence kept, read back as the replay reads it. */
export async function recordedEligible(dataDir: string) {
  const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
  expect(run.code).toBe(0);
  const [past] = (await readPastVerdicts(receiptPaths(dataDir), null)).verdicts;
  const snapshot = await new EvidenceStore(dataDir).load(past!.evidence_ref!);
  return { past: past!, snapshot };
}

/** A verdict appended to the log without its evidence kept (as before the bytes were kept): replay cannot judge it again. */
export async function recordedWithoutEvidence(dataDir: string): Promise<void> {
  const verdict = JSON.parse((await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--now", "2026-11-21T12:00:00Z"])).stdout);
  await (await ReceiptLog.open(dataDir)).append(verdictDraft(verdict, { actor: "piotr" }));
}

/** A receipt line sealed again over its edited content: its own hash checks, whatever it says. */
export function reseal(line: string, edit: (body: string) => string): string {
  const body = edit(line.slice(0, line.lastIndexOf(',"hash":"sha256:')));
  return `${body},"hash":"sha256:${createHash("sha256").update(`${body}}`).digest("hex")}"}`;
}
