/**
 * Where a token holds a character that fetch cannot put in an HTTP header (a NUL, a line break,
 * anything past U+00FF), as `character 3 (U+000A)`; null when it can be sent. Only the position
 * and code are named: the token is a secret. Without this check fetch fails as "cannot reach Forgejo".
 */
export function unsendableInHeader(token: string): string | null {
  const found = /[^\u0000-\u00ff]|[\u0000\r\n]/u.exec(token);
  if (found === null) return null;
  const code = `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return `character ${[...token.slice(0, found.index)].length + 1} (${code})`;
}
