import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The help and the drift lane's guide give the host's command; an operator copies either, so they
// must be one command (test/deploy/wrapper-settings-free-commands.test.ts runs it through the
// installed wrapper).
describe("drift manifest --help", () => {
  it("gives the host's command as docs/operations/deploy-drift-lane.md does, and says who may run it", async () => {
    const doc = await readFile(join(REPO_ROOT, "docs/operations/deploy-drift-lane.md"), "utf8");
    const documented = doc.split("\n").find((line) => line.trim().startsWith("ssh iskra "))?.trim();
    expect(documented).toBeDefined();
    const help = await runCli(["drift", "manifest", "--help"]);
    expect(help.code).toBe(0);
    const given = help.stdout.split("\n").find((line) => line.trim().startsWith("ssh iskra "))?.trim();
    expect(given).toBe(documented);
    expect(help.stdout.replace(/\s+/g, " ")).toContain("runs this command for any login, root included");
  });
});
