import { UNSAFE_CHARACTERS } from "../../markdown/unsafe-characters.js";

/**
 * Text from a proposal that came from Forgejo (a policy file's name, an attachment's), as a
 * terminal can show it: every control character written out as `\xNN` or `\uNNNN`, so an escape
 * sequence in a name can neither hide nor rewrite what `queue show` and `queue list` print, and
 * the operator sees it was there. (`quote` would put it in backticks, and blank what it replaces.)
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
