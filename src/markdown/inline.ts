/**
 * Inline Markdown for text that came from producers or users, as Forgejo renders it: nothing can
 * break out into markup, tables or mentions.
 */

import { UNSAFE_CHARACTERS, UNSAFE_RUNS } from "./unsafe-characters.js";

/** Forgejo notifies `@login` wherever it appears; a zero-width space after `@` keeps the text and drops the ping. */
export function breakMentions(text: string): string {
  return text.replace(/@/g, "@\u200b");
}

// Each unsafe character (control, line separator, bidirectional control) becomes a space.

export function escapeMarkdown(text: string): string {
  return text
    .replace(UNSAFE_RUNS, " ")
    .replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, "\\$&")
    .replace(/@/g, "@\u200b");
}

/**
 * A code span for producer text inside a table: the fence is longer than any run of backticks
 * inside, pipes are escaped (GitHub and Forgejo tables honour `\|` in code), line breaks and
 * bidirectional controls become spaces, and `@` cannot mention anyone.
 */
export function codeSpan(text: string): string {
  const clean = text.replace(UNSAFE_CHARACTERS, " ").replace(/\|/g, "\\|").replace(/@/g, "@\u200b");
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  // CommonMark strips one space from each end of a span whose text begins and ends with one and
  // is not all spaces. Pad then, so ` README.md ` does not render as `README.md`, and pad a
  // backtick at either end, which would otherwise join the fence.
  const stripped = clean.startsWith(" ") && clean.endsWith(" ") && /[^ ]/.test(clean);
  const pad = stripped || clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}
