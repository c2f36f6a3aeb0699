/**
 * Canonical JSON: object keys sorted by code unit, no whitespace. It matches Python's
 * `json.dumps(value, sort_keys=True, separators=(",", ":"))` for the values producers write
 * (strings, integers, booleans, null), which is how the safe-update kit computes its digests.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const encoded = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; a digest over them would be a lie.
    if (encoded === undefined) throw new TypeError(`value of type ${typeof value} has no canonical JSON form`);
    return encoded;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}
