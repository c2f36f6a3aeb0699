const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses `90s`, `15m`, `1h30m`, `7d` into seconds; null for anything else (including an empty or zero duration). */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match || text.length === 0) return null;
  const [, d, h, m, s] = match;
  const seconds =
    Number(d ?? 0) * UNIT_SECONDS.d + Number(h ?? 0) * UNIT_SECONDS.h + Number(m ?? 0) * UNIT_SECONDS.m + Number(s ?? 0);
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : null;
}

/** Whether `text` is written as a duration (units in order), whatever its size: for messages that tell "too large" from "not a duration". */
export function looksLikeDuration(text: string): boolean {
  return text.length > 0 && DURATION.test(text);
}

/** The shortest exact form, e.g. 5400 → `1h30m`; used in messages so they echo the policy's own units. */
export function formatDuration(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? "-" : "";
  let rest = Math.abs(Math.round(totalSeconds));
  if (rest === 0) return "0s";
  let out = "";
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return sign + out;
}
