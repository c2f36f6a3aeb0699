/** A plain object as a parsed document holds it: not null, not an array, not a TOML date (a Date). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/** The value as a list when it is one, else empty: for passes that must not throw on partly invalid input. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
