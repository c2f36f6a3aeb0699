import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

/** `policy validate "$CANDIDATE"` with the variable unset must not quietly check the shipped policy instead. */
describe("an empty policy path is refused, not replaced by the shipped policy", () => {
  it("policy validate \"\"", async () => {
    const run = await runCli(["policy", "validate", ""]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain("the policy argument: is empty; name a policy file, or leave it out to use the shipped policy");
  });

  it("--policy \"\" on policy test, runtime-repair-check and replay", async () => {
    for (const argv of [
      ["policy", "test", "fixtures/cases/rules", "--policy", ""],
      ["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--policy", "", "--now", "2026-11-21T12:00:00Z"],
      ["replay", "--policy", "  "],
    ]) {
      const run = await runCli(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr).toContain("--policy: is empty");
    }
  });

  it("an empty PATCHWARDEN_POLICY counts as unset, as an env file writes it", async () => {
    const run = await runCli(["policy", "validate"], { env: { PATCHWARDEN_POLICY: "" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("iskra-openclaw");
  });
});
