import { isRecord } from "../../document/is-record.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";

/** A time inside an item's `data` at which what the item carries was observed. */
export interface ObservedTime {
  /** Where, below the item's `data`: `["health", "ts"]`. */
  at: readonly (string | number)[];
  /** epoch milliseconds */
  time: number;
  /** What was observed, as messages name it. */
  what: string;
}

// The span of an ISO-8601 time (years 0000–9999): an epoch outside it is no time the gate can place.
const EARLIEST_MS = -62_167_219_200_000;
const LATEST_MS = 253_402_300_799_999;

/** A whole number of epoch milliseconds the gate can place. */
export function isEpochMillis(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= EARLIEST_MS && value <= LATEST_MS;
}

export const HEALTH_TS = ["health", "ts"] as const;

/**
 * When the item's data says it observed what it carries, if it says so apart from `generated_at`:
 * `openclaw health --json` dates its snapshot in `ts` (epoch ms), and the gateway can answer with
 * a cached one, so a fresh report can wrap an old snapshot. Judged by the freshness rule like the
 * item's own time; a `ts` that is no placeable time is the runtime-truth inspector's (unreadable).
 */
export function observedTime(item: EvidenceItem): ObservedTime | null {
  if (item.kind !== "runtime-truth-report") return null;
  const health = item.data["health"];
  if (!isRecord(health) || !isEpochMillis(health["ts"])) return null;
  return { at: HEALTH_TS, time: health["ts"], what: "an `openclaw health --json` snapshot" };
}
