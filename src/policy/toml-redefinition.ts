import type { Diagnostic } from "../diagnostics/diagnostic.js";

const HEADER = /^\s*(\[\[?)\s*(.*?)\s*(\]\]?)\s*(?:#.*)?$/;
const KEY = /^\s*((?:"[^"]*"|'[^']*'|[^=#"'])+?)\s*=/;

/**
 * smol-toml says only "trying to redefine an already defined table or value", which leaves the
 * operator to find which of a policy's many `[repair_classes.…]` tables was written twice. The
 * error's line names it: a table header, or a key under the nearest header above it.
 */
export function explainRedefinition(text: string, line: number, column: number): Diagnostic | null {
  const lines = text.split(/\r?\n/);
  const at = lines[line - 1];
  if (at === undefined) return null;
  const where = `line ${line}, column ${column}`;
  const header = HEADER.exec(at);
  if (header !== null && header[2] !== "" && !KEY.test(at)) {
    const written = `${header[1]}${header[2]}${header[3]}`;
    const first = lines.findIndex((other, i) => i < line - 1 && headerName(other) === header[2]);
    return {
      path: `policy.${header[2]}`,
      message:
        first === -1
          ? `table \`${written}\` at ${where} redefines a table or key set earlier in the file; define each table once`
          : `table \`${written}\` is defined twice, at line ${first + 1} and at ${where}; merge the two into one table`,
    };
  }
  const key = KEY.exec(at);
  if (key === null) return null;
  const name = key[1]!;
  const table = tableAbove(lines, line - 1);
  const first = lines.findIndex((other, i) => i < line - 1 && tableAbove(lines, i) === table && KEY.exec(other)?.[1] === name);
  const scope = table === null ? "" : ` in table \`[${table}]\``;
  return {
    path: table === null ? `policy.${name}` : `policy.${table}.${name}`,
    message:
      first === -1
        ? `key \`${name}\`${scope} at ${where} redefines a table or key set earlier in the file; set each key once`
        : `key \`${name}\`${scope} is set twice, at line ${first + 1} and at ${where}; keep one`,
  };
}

function headerName(line: string): string | null {
  if (KEY.test(line)) return null;
  return HEADER.exec(line)?.[2] ?? null;
}

function tableAbove(lines: readonly string[], index: number): string | null {
  for (let i = index - 1; i >= 0; i--) {
    const name = headerName(lines[i]!);
    if (name !== null && name !== "") return name;
  }
  return null;
}
