import type { Verdict } from "../verdict-types.js";

/** The verdict's canonical text form: equal verdicts give equal bytes. */
export function renderJson(verdict: Verdict): string {
  return `${JSON.stringify(verdict, null, 2)}\n`;
}
