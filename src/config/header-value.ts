/**
 * Why a Forgejo token cannot be used, naming only the position and code of the first character
 * that is not printable ASCII (a space, a line break, a non-breaking space or typographic quote
 * picked up when copying, anything fetch cannot put in a header): the token is a secret. Forgejo's
 * tokens are hex digits, so such a token would only fail later, as a 401 or "cannot reach Forgejo".
 * One rule for every token Patchwarden is given: the server's, `queue approve|reject`'s, the page's.
 */
export function tokenProblem(token: string): string | null {
  const found = /[^\x21-\x7e]/u.exec(token);
  if (found === null) return null;
  const code = `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return `character ${[...token.slice(0, found.index)].length + 1} (${code}) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it`;
}
