/**
 * Why a configured webhook secret cannot be the one Forgejo signs with, never echoing it. Forgejo
 * signs with the secret as typed in its form, so a copy that kept a line break or a space (a CRLF
 * environment file, a secret file read with its newline) would fail every delivery as "the hook's
 * secret differs", sending the operator to re-copy a secret that is right.
 */
export function webhookSecretProblem(secret: string): string | null {
  if (/^\s|\s$/u.test(secret)) {
    return "begins or ends with whitespace (a space, tab or line break; e.g. from a CRLF environment file, or a secret file read with its newline), which Forgejo's copy does not have; remove the whitespace (the secret is not shown)";
  }
  const found = /[\u0000-\u001f\u007f-\u009f]/u.exec(secret);
  if (found === null) return null;
  const code = `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return `character ${[...secret.slice(0, found.index)].length + 1} (${code}) is a control character, which a secret typed into Forgejo's form cannot hold; set the secret alone, exactly as Forgejo has it (the secret is not shown)`;
}
