/**
 * Inline Markdown for text that came from producers or users, as Forgejo renders it: nothing can
 * break out into markup, tables or mentions.
 */

import { UNSAFE_CHARACTERS, UNSAFE_RUNS } from "./unsafe-characters.js";

/** Forgejo notifies `@login` wherever it appears; a zero-width space after `@` keeps the text and drops the ping. */
export function breakMentions(text: string): string {
  return text.replace(/@/g, "@\u200b");
}

/**
 * Plain text as inline Markdown that renders as itself and nothing more. Each run of unsafe
 * characters (controls, line breaks, bidirectional and invisible format characters) becomes a
 * space; markup is escaped where it could take effect, so prose stays readable in the source too
 * (`evidence[0]`, `snake_case`, `1.2`, `(line 3)` are left alone):
 *
 * - always: `\`, backticks, `*`, `<`, `>`, `#`, `|`, `~` (code, emphasis, HTML and autolinks,
 *   headings and issue references, table cells, strikethrough);
 * - `_` unless inside a word (`_x_` is emphasis, `snake_case` is not);
 * - `]` before `(`, `[` or `:` (no link, image or reference), `[` at the start (no task box or
 *   reference definition);
 * - `&` before an entity (`&#35;`, `&lt;`), the `:` of `scheme://` and the `.` of `www.` (no bare
 *   link: Forgejo links them without brackets, also right after `_`);
 * - a list marker or ordered-list number at the start (`- `, `+ `, `1. `);
 * - `@` cannot mention anyone.
 */
export function escapeMarkdown(text: string): string {
  return breakMentions(
    text
      .replace(UNSAFE_RUNS, " ")
      .replace(/[\\`*<>#|~]/g, "\\$&")
      .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_")
      .replace(/\](?=[([:])/g, "\\]")
      .replace(/^(\s*)\[/, "$1\\[")
      .replace(/&(?=#?[0-9A-Za-z]+;)/g, "\\&")
      .replace(/:(?=\/\/)/g, "\\:")
      .replace(/(?<![\p{L}\p{N}.-])(www)\./giu, "$1\\.")
      .replace(/^(\s*)([-+])/, "$1\\$2")
      .replace(/^(\s*\d{1,9})([.)])/, "$1\\$2"),
  );
}

/**
 * A code span for producer text in prose (a paragraph, heading or list item), where a code span is
 * literal: the fence is longer than any run of backticks inside, line breaks, controls and
 * bidirectional or invisible characters become spaces, and `@` cannot mention anyone. In a table
 * cell use `cellCode`, which also escapes `|`.
 */
export function codeSpan(text: string): string {
  return fence(text.replace(UNSAFE_CHARACTERS, " "));
}

/**
 * A code span for producer text in a table cell: as `codeSpan`, and a `|` is written `\|`, which
 * GitHub and Forgejo tables show as `|` inside code (a bare one would end the cell). Outside a
 * table the backslash would show, so use `codeSpan` there.
 */
export function cellCode(text: string): string {
  return fence(text.replace(UNSAFE_CHARACTERS, " ").replace(/\|/g, "\\|"));
}

function fence(text: string): string {
  const clean = breakMentions(text);
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longestRun + 1);
  // CommonMark strips one space from each end of a span whose text begins and ends with one and
  // is not all spaces. Pad then, so ` README.md ` does not render as `README.md`, and pad a
  // backtick at either end, which would otherwise join the fence.
  const stripped = clean.startsWith(" ") && clean.endsWith(" ") && /[^ ]/.test(clean);
  const pad = stripped || clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

// A code span as CommonMark reads one: a backtick run, then the first run of the same length.
const CODE_SPAN = /(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;

/**
 * A message of ours (lowercase, user values through `quote()`) as inline Markdown: trusted only
 * inside its code spans, where text is literal and `quote()` has already made user values safe.
 * The text between them is escaped as producer text would be, so whatever reached a message
 * outside a code span (a library's words, say) renders as itself: no image, link, reference,
 * mention or bidirectional control.
 */
export function messageMarkdown(message: string): string {
  let out = "";
  let last = 0;
  for (const span of message.matchAll(CODE_SPAN)) {
    out += escapeMarkdown(message.slice(last, span.index));
    out += breakMentions(span[0].replace(UNSAFE_CHARACTERS, " "));
    last = span.index + span[0].length;
  }
  return out + escapeMarkdown(message.slice(last));
}
