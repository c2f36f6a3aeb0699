import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { closestMatch } from "../diagnostics/suggest.js";
import { SETTINGS } from "./settings.js";

const PREFIX = "PATCHWARDEN_";

/**
 * Patchwarden's variables that are not server settings. They share the environment file (or the
 * operator's shell) with the settings, so each must be listed here or the server refuses to start;
 * a test checks every name read in src/, deploy/ and the test suite is.
 */
export const OTHER_VARIABLES: ReadonlySet<string> = new Set([
  "PATCHWARDEN_CONFIG", // the TOML file of settings
  "PATCHWARDEN_GATE_TARGET", // the hourly gate's --propose, on its unit's command line
  "PATCHWARDEN_FORGEJO_WRITE_TOKEN", // queue approve and reject
  "PATCHWARDEN_OPERATOR", // the default --actor
  "PATCHWARDEN_ALLOW_ROOT", // the operator's wrapper, deploy/bin/patchwarden
  "PATCHWARDEN_CHROMIUM", // the test suite (test/browser), from a developer's shell
  "PATCHWARDEN_SCREENSHOTS", // the test suite (test/browser)
  "PATCHWARDEN_UPDATE_FIXTURES", // the test suite (test/drift)
]);

const KNOWN: readonly string[] = [...Object.values(SETTINGS), ...OTHER_VARIABLES];

/**
 * Every PATCHWARDEN_* variable that Patchwarden does not read, each named: a misspelt one is
 * otherwise ignored in silence (the signing key's name with one letter more would start the server
 * with unsigned receipts). The value is never looked at: it may be a secret.
 */
export function unknownVariables(env: Readonly<Record<string, string | undefined>>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith(PREFIX) || KNOWN.includes(name)) continue;
    // Compared without the prefix, which every candidate shares and which would make any name look close.
    const match = closestMatch(name.slice(PREFIX.length), KNOWN.map((known) => known.slice(PREFIX.length)));
    const hint = match === null ? "check its spelling (`patchwarden serve --help` lists the settings), or remove it" : `did you mean \`${PREFIX}${match}\`? rename it, or remove it`;
    diagnostics.push({ path: name, message: `not a Patchwarden variable, so nothing reads it; ${hint}` });
  }
  return diagnostics;
}
