import { parseIsoTime } from "../../../time/iso-time.js";

/** `2026-11-21 05:00:12 UTC`: one zone on the whole page, whatever the stored offset. */
export function when(iso: string): string {
  const ms = parseIsoTime(iso);
  return ms === null ? iso : `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `2026-11-21 05:00 UTC`: for lists, where the minute is enough. */
export function whenMinute(iso: string): string {
  const ms = parseIsoTime(iso);
  return ms === null ? iso : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `3h 5m ago`, `in 40m`: two units at most, for reading at a glance. */
export function relative(iso: string, now: number): string {
  const ms = parseIsoTime(iso);
  if (ms === null) return "";
  const seconds = Math.round((now - ms) / 1000);
  const span = roughDuration(Math.abs(seconds));
  return seconds >= 0 ? `${span} ago` : `in ${span}`;
}

export function roughDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s}s`;
  const units: Array<[string, number]> = [["d", 86_400], ["h", 3_600], ["m", 60]];
  const parts: string[] = [];
  let rest = s;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !/^0/.test(part)).join(" ");
}

/** Whether an ISO time is already past (unparsable times count as past: fail closed). */
export function isPast(iso: string | null, now: number): boolean {
  if (iso === null) return false;
  const ms = parseIsoTime(iso);
  return ms === null || ms <= now;
}
