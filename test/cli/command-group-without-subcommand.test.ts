import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("a command group named without its subcommand", () => {
  it("prints the group's subcommands and exits 2, since nothing was run", async () => {
    for (const group of ["queue", "receipts", "lock", "policy"]) {
      const run = await runCli([group]);
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(new RegExp(`^usage: patchwarden ${group} <subcommand>\\n`));
      expect(run.stderr).toBe("");
    }
  });

  it("with --help prints the same and exits 0", async () => {
    const bare = await runCli(["receipts"]);
    const help = await runCli(["receipts", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(bare.stdout);
    expect(help.stdout).toContain("patchwarden receipts verify");
  });

  it("with an unknown subcommand is a usage error naming the group's subcommands", async () => {
    const run = await runCli(["lock", "steal"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("unknown subcommand `lock steal`; use one of: lock status, lock release");
  });
});
