import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

/** The variables `serve --help` lists, each at the start of its row, in order. */
function listed(help: string): string[] {
  return [...help.matchAll(/^ {2}(PATCHWARDEN_[A-Z0-9_]+) +\S/gm)].map((match) => match[1]!);
}

/**
 * The refusal of an unknown PATCHWARDEN_* variable says "check its spelling (`patchwarden serve
 * --help` lists the settings)", and deploy/systemd/patchwarden.env.example heads the server's
 * section with "`patchwarden serve --help` lists these". The signing key's variable was missing from
 * the list: an operator sent there to spell it found nothing, and one setting up from the help
 * signed nothing.
 */
describe("serve --help", () => {
  it("lists every setting the server reads, in SETTINGS' order, then PATCHWARDEN_CONFIG", async () => {
    const help = await runCli(["serve", "--help"]);
    expect(help.code).toBe(0);
    expect(listed(help.stdout)).toEqual([...Object.values(SETTINGS), "PATCHWARDEN_CONFIG"]);
    expect(help.stdout).toMatch(/^ {2}PATCHWARDEN_RECEIPT_KEY +ed25519 private key/m);
  });

  it("holds the variable a misspelt one was refused for, under the list the refusal points to", async () => {
    const run = await runCli(["serve"], { env: { PATCHWARDEN_SIGNING_KEY: "/etc/patchwarden/keys/2026-11/receipt-signing.key" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`patchwarden serve --help` lists the settings");
    expect(listed((await runCli(["serve", "--help"])).stdout)).toContain("PATCHWARDEN_RECEIPT_KEY");
  });

  it("lists every variable the environment file example puts in the server's sections", async () => {
    const example = await readFile(join(REPO_ROOT, "deploy/systemd/patchwarden.env.example"), "utf8");
    // Up to the hourly gate's section, which the timer unit's command line reads, not the server.
    const serverPart = example.slice(0, example.indexOf("# --- the hourly gate"));
    const assigned = [...serverPart.matchAll(/^(PATCHWARDEN_[A-Z0-9_]+)=/gm)].map((match) => match[1]!);
    expect(assigned.length).toBeGreaterThan(0);
    const help = listed((await runCli(["serve", "--help"])).stdout);
    for (const variable of assigned) expect(help, variable).toContain(variable);
  });

  it("keeps its rows aligned", async () => {
    const rows = (await runCli(["serve", "--help"])).stdout.split("\n").filter((line) => /^ {2}PATCHWARDEN_/.test(line));
    const column = (row: string) => row.search(/(?<=\S {2,})\S/);
    expect(column(rows[0]!)).toBeGreaterThan(0);
    for (const row of rows) expect(column(row), row).toBe(column(rows[0]!));
  });
});
