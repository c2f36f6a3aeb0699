/**
 * Times in evidence must carry an explicit offset: a zoneless time is read differently on
 * every host, and a freshness gate cannot judge a time it cannot place.
 */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoTimeWithOffset(value: string): boolean {
  return parseIsoTime(value) !== null;
}

/** Epoch milliseconds, or null when the text is not an ISO-8601 time with an explicit offset. */
export function parseIsoTime(value: string): number | null {
  const match = ISO_WITH_OFFSET.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  if (Number(month) < 1 || Number(month) > 12) return null;
  if (Number(day) < 1 || Number(day) > daysInMonth(Number(year), Number(month))) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Patchwarden writes every time it produces in UTC with a `Z`, so outputs compare byte for byte. */
export function formatIsoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
