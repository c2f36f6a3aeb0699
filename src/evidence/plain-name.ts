import * as z from "zod";
import { writeOutUnsafe } from "../markdown/unsafe-characters.js";

/**
 * The characters a name that decides identity may not hold: C0 and C1 controls, DEL, the line and
 * paragraph separators, every invisible format character (Unicode category Cf, the bidirectional
 * controls among them) and lone surrogates; written without the `u` flag so that ajv's fast path
 * reads the same pattern as zod. Beyond U+FFFF, Cf characters are surrogate pairs.
 * test/evidence/plain-name.test.ts holds this to \p{Cf} over every code point.
 */
const REFUSED_BMP =
  "\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb";
const REFUSED_ASTRAL = "\\ud804[\\udcbd\\udccd]|\\ud80d[\\udc30-\\udc3f]|\\ud82f[\\udca0-\\udca3]|\\ud834[\\udd73-\\udd7a]|\\udb40[\\udc01\\udc20-\\udc7f]";

/** Plain text, no space at either end: what a lock, a duplicate check or a reason can compare as written. */
// A character outside the surrogates is matched by one class; a pair is checked by lookahead only
// there (rare), and a lone surrogate (JSON's `"\\ud800"`) matches neither.
export const PLAIN_NAME_PATTERN = new RegExp(`^(?!\\s)(?:[^${REFUSED_BMP}\\ud800-\\udfff]|(?!${REFUSED_ASTRAL})[\\ud800-\\udbff][\\udc00-\\udfff])*(?<!\\s)$`);

/**
 * A name that decides identity: a repair target's host or service (a lease on `iskra` does not
 * cover `isk\u200bra`, which reads the same), an item's subject (duplicates must agree) or id.
 * The refusal writes the character out, so the producer sees what to remove.
 */
export function plainName(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(PLAIN_NAME_PATTERN, {
      error: (issue) =>
        `${shown(issue.input)} holds a control, bidirectional or invisible character (written out here) or a space at either end; write it as plain text, since the gate compares it as written (locks, duplicates)`,
    });
}

/**
 * A repair target's host: a host name (ASCII letters, digits, `.`, `-`, `_`; an internationalized
 * one in its `xn--` form) or an IP address (`:` and brackets for IPv6). Plain text is not enough
 * here: `iskrа` with a Cyrillic `а` reads as `iskra` and would be another host to a lock.
 */
export const TARGET_HOST_PATTERN = /^[A-Za-z0-9._:[\]-]+$/;
/** A repair target's service: a systemd unit name's characters (ASCII letters, digits, `:-_.\@`). */
export const TARGET_SERVICE_PATTERN = /^[A-Za-z0-9:_.\\@-]+$/;

export function targetHost() {
  return plainName(253).regex(TARGET_HOST_PATTERN, {
    error: (issue) => `${shown(issue.input)} is not a host name; use ASCII letters, digits, \`.\`, \`-\` and \`_\` (an internationalized name in its \`xn--\` form) or an IP address, so that no look-alike letter can name another host to a lock`,
  });
}

export function targetService() {
  return plainName(253).regex(TARGET_SERVICE_PATTERN, {
    error: (issue) => `${shown(issue.input)} is not a systemd unit name; use ASCII letters, digits and \`:-_.\\@\` (e.g. \`openclaw-gateway.service\`), so that no look-alike letter can name another unit to a lock`,
  });
}

/** The refused value as messages show it: every unsafe character written out, so the producer sees what to remove. */
function shown(input: unknown): string {
  return `\`${writeOutUnsafe(String(input)).slice(0, 300)}\``;
}
