import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";

/** Where each option's description starts: `  --flag ARG   text` → the column of `text`. */
function descriptionColumns(help: string): Map<string, number> {
  const columns = new Map<string, number>();
  for (const line of help.split("\n")) {
    const option = /^ {2}(-\S+(?:, --\S+)?(?: [A-Z][A-Z_.|]*)?)( {2,})\S/.exec(line);
    if (option !== null) columns.set(option[1]!, 2 + option[1]!.length + option[2]!.length);
  }
  return columns;
}

describe("every command's --help", () => {
  it("starts the --data-dir text in the column its other options use", async () => {
    let checked = 0;
    for (const entry of COMMANDS) {
      const command = await entry.load();
      const columns = descriptionColumns(command.help);
      const dataDir = columns.get("--data-dir DIR");
      if (dataDir === undefined) continue;
      const others = [...columns].filter(([flag]) => flag !== "--data-dir DIR").map(([, column]) => column);
      const usual = others.sort((a, b) => others.filter((c) => c === b).length - others.filter((c) => c === a).length)[0];
      expect({ command: entry.name, column: dataDir }).toEqual({ command: entry.name, column: usual ?? dataDir });
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
