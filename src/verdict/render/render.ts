import type { Verdict } from "../verdict-types.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderText } from "./text.js";

export const VERDICT_FORMATS = ["json", "text", "markdown"] as const;
export type VerdictFormat = (typeof VERDICT_FORMATS)[number];

export function renderVerdict(verdict: Verdict, format: VerdictFormat): string {
  switch (format) {
    case "json":
      return renderJson(verdict);
    case "text":
      return renderText(verdict);
    case "markdown":
      return renderMarkdown(verdict);
  }
}
