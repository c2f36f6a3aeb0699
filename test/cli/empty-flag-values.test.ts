import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

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

/** What a unit's or drop-in's `${VAR}` gives when VAR is unset: named as the flag at fault, never guessed past. */
describe("the hourly gate's other flags, given empty", () => {
  it.each([
    ["--latest-in", ["--latest-in", ""], "--latest-in: is empty; give the folder Iskra writes its bundles into"],
    ["--bundle", ["--bundle", " "], "--bundle: is empty; give the bundle file or run folder to judge"],
  ])("%s \"\" is named, not taken for a missing --bundle", async (_, flags, message) => {
    const run = await runCli(["runtime-repair-check", ...flags, "--now", NOON]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toMatch(/^patchwarden runtime-repair-check: /);
    expect(run.stderr).toContain(message);
  });

  it("--data-dir \"\" is refused, not replaced by ./data where the verdict would then be recorded", async () => {
    const temp = await mkdtemp(join(tmpdir(), "pw-empty-data-dir-"));
    try {
      const cwd = join(temp, "work");
      await mkdir(cwd);
      const run = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "iskra/ops#7", "--data-dir", "", "--actor", "patchwarden", "--now", NOON], { cwd });
      expect(run).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).toContain("--data-dir: is empty; give the data folder");
      expect(await readdir(cwd)).toEqual([]);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  });
});
