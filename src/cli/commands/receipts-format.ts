import { quote } from "../../diagnostics/diagnostic.js";
import { canonicalJson } from "../../integrity/canonical-json.js";
import { describeRepairTarget } from "../../locks/repair-target.js";
import { describeLooserSettings } from "../../queue/proposal.js";
import { describeForgejoTarget } from "../../receipts/drafts.js";
import type { Receipt } from "../../receipts/receipt-schema.js";
import type { ReadReceipt } from "../../receipts/read-receipts.js";

/** `#42 2026-11-21T05:00:00.000Z lock.acquired by alice: host `iskra-1`, …`: one receipt per line, for `tail`. */
export function summarizeReceipt(receipt: Receipt): string {
  return `#${receipt.seq} ${receipt.time} ${receipt.kind} by ${receipt.actor}: ${detail(receipt)}`;
}

export function summarizeRead(read: ReadReceipt): string {
  if (read.ok) return summarizeReceipt(read.receipt);
  // Lines read back from the end of the log have no number without reading all of it; the byte offset finds them as well.
  return `(${read.line === null ? `line at byte ${read.offset}` : `line ${read.line}`}) not a readable receipt: ${read.problem}`;
}

function detail(receipt: Receipt): string {
  const parts: string[] = [];
  switch (receipt.kind) {
    case "verdict":
    case "proposal.proposed":
      parts.push(`${receipt.verdict}${receipt.repair_class === null ? "" : ` for ${quote(receipt.repair_class)}`}`);
      break;
    case "lock.acquired":
      parts.push(`lock ${receipt.lock_id} on ${describeRepairTarget(receipt.repair_target)} until ${receipt.expires_at}`);
      break;
    case "lock.released":
      parts.push(`lock ${receipt.lock_id} on ${describeRepairTarget(receipt.repair_target)}`);
      break;
    case "lock.expired":
      parts.push(`lock ${receipt.lock_id} on ${describeRepairTarget(receipt.repair_target)}, expired at ${receipt.expired_at}`);
      break;
    case "postcheck":
      parts.push(`${receipt.result} on ${describeRepairTarget(receipt.repair_target)}`);
      break;
    case "what_if.proposed":
      parts.push(`${quote(receipt.path)}: ${receipt.loosened} looser, ${receipt.tightened} stricter of ${receipt.replayed} replayed${receipt.policy_digest === null ? " (not replayed)" : ""}; ${describeLooserSettings(receipt)}`);
      break;
    case "proposal.superseded":
      if (receipt.superseded_by !== undefined) parts.push(`by ${receipt.superseded_by}`);
      break;
    case "log.reanchored":
      parts.push(`head was ${receipt.previous_head_seq === null ? "missing" : `at receipt ${receipt.previous_head_seq}`}`);
      break;
    default:
      break;
  }
  if (receipt.proposal_id !== undefined) parts.push(`proposal ${receipt.proposal_id}`);
  if (receipt.target !== undefined) parts.push(`on ${describeForgejoTarget(receipt.target)}`);
  if (receipt.reason !== undefined) parts.push(quote(receipt.reason));
  return parts.join(", ") || "-";
}

const FIRST = ["seq", "time", "kind", "actor"];
const LAST = ["schema", "prev", "key_id", "hash", "sig"];

/** Every field on its own line, envelope first and seal last, nested values as compact JSON. */
export function renderReceipt(receipt: Receipt): string {
  const record = receipt as unknown as Record<string, unknown>;
  const middle = Object.keys(record)
    .filter((key) => !FIRST.includes(key) && !LAST.includes(key))
    .sort();
  const keys = [...FIRST, ...middle, ...LAST].filter((key) => record[key] !== undefined);
  const width = Math.max(...keys.map((key) => key.length));
  return keys.map((key) => `${`${key}:`.padEnd(width + 1)} ${render(record[key])}`).join("\n");
}

function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  return canonicalJson(value);
}
