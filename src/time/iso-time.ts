/**
 * Times in evidence must carry an explicit offset: a zoneless time is read differently on
 * every host, and a freshness gate cannot judge a time it cannot place.
 *
 * Parsing and formatting are plain calendar arithmetic (no Date objects): the engine handles
 * several times per evidence item, and allocation-free arithmetic keeps that off the profile.
 */
export function isIsoTimeWithOffset(value: string): boolean {
  return parseIsoTime(value) !== null;
}

/**
 * Epoch milliseconds, or null when the text is not `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
 * A fixed-position reader: no regex match arrays, no Date objects.
 */
export function parseIsoTime(value: string): number | null {
  const length = value.length;
  if (length < 20) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH || value.charCodeAt(10) !== LETTER_T || value.charCodeAt(13) !== COLON || value.charCodeAt(16) !== COLON) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let i = 19;
  let millis = 0;
  if (value.charCodeAt(i) === DOT) {
    const start = ++i;
    while (i < length && isDigit(value.charCodeAt(i))) i++;
    if (i === start) return null;
    // Milliseconds only: finer digits are truncated, as Date.parse does.
    for (let k = 0; k < 3; k++) millis = millis * 10 + (start + k < i ? value.charCodeAt(start + k) - ZERO : 0);
  }
  let offsetMinutes = 0;
  const zone = value.charCodeAt(i);
  if (zone === LETTER_Z) {
    if (i + 1 !== length) return null;
  } else if (zone === PLUS || zone === MINUS) {
    if (i + 6 !== length || value.charCodeAt(i + 3) !== COLON) return null;
    const offsetHours = digits(value, i + 1, 2);
    const offsetMins = digits(value, i + 4, 2);
    if (offsetHours < 0 || offsetMins < 0 || offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (zone === MINUS ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return null;
  }
  const days = daysFromCivil(year, month, day);
  return (((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

/** Always UTC with milliseconds and `Z`, like Date#toISOString, so outputs compare byte for byte. */
export function formatIsoTime(time: number): string {
  if (!Number.isFinite(time)) return "unplaceable";
  // File times (mtimeMs) carry fractions of a millisecond; an ISO time has whole ones.
  const epochMs = Math.floor(time);
  const days = Math.floor(epochMs / 86_400_000);
  const date = datePart(days);
  if (date === null) return new Date(epochMs).toISOString();
  let rest = epochMs - days * 86_400_000;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  return `${date}T${two(hour)}:${two(minute)}:${two(second)}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

// The times in one verdict mostly fall on a day or two; remember the last day's text.
let lastDays = Number.NaN;
let lastDate: string | null = null;

function datePart(days: number): string | null {
  if (days === lastDays) return lastDate;
  const [year, month, day] = civilFromDays(days);
  lastDays = days;
  lastDate = year < 1000 || year > 9999 ? null : `${year}-${two(month)}-${two(day)}`;
  return lastDate;
}

const ZERO = 0x30;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The decimal number in `count` digits at `at`, or -1 if any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let out = 0;
  for (let k = 0; k < count; k++) {
    const code = text.charCodeAt(at + k);
    if (!isDigit(code)) return -1;
    out = out * 10 + (code - ZERO);
  }
  return out;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
