import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const PASSING = fixture("cases/rules/eligible-read-only-class.case.yaml");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-policy-reports-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("patchwarden policy test report", () => {
  it("lists each case, says why a failing one failed, and counts both against the named policy", async () => {
    await copyFile(PASSING, join(dir, "a-passing.case.yaml"));
    const wrong = (await readFile(PASSING, "utf8")).replace('verdict: "eligible_repair_dry_run"', 'verdict: "blocked"');
    expect(wrong).toContain('verdict: "blocked"');
    await writeFile(join(dir, "b-failing.case.yaml"), wrong);
    const policy = await readPolicy(SHIPPED_POLICY_PATH);
    const run = await runCli(["policy", "test", dir, "--policy", SHIPPED_POLICY_PATH]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        "ok    a-passing",
        "FAIL  b-failing",
        "      verdict: expected `blocked`, got `eligible_repair_dry_run`",
        "",
        `1 passed, 1 failed (policy ${policy.name} ${policy.digest})`,
        "",
      ].join("\n"),
    );
    expect(run.stderr).toContain("1 of 2 golden case(s) failed");
  });

  it("passes (exit 0) when every case passes", async () => {
    await copyFile(PASSING, join(dir, "one.case.yaml"));
    await copyFile(PASSING, join(dir, "two.case.json.case.yaml"));
    const run = await runCli(["policy", "test", dir, "--policy", SHIPPED_POLICY_PATH]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\n2 passed, 0 failed \(policy iskra-openclaw sha256:[0-9a-f]{64}\)\n$/);
  });

  it("reads a relative DIR from the folder it is run in", async () => {
    await mkdir(join(dir, "cases"));
    await copyFile(PASSING, join(dir, "cases", "one.case.yaml"));
    const run = await runCli(["policy", "test", "cases", "--policy", SHIPPED_POLICY_PATH], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("ok    one\n");
  });

  it("refuses a folder with no case files, and a path that is no folder, as bad arguments", async () => {
    await writeFile(join(dir, "notes.yaml"), "description: not a case\n");
    const empty = await runCli(["policy", "test", dir, "--policy", SHIPPED_POLICY_PATH]);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe("");
    expect(empty.stderr).toContain("holds no *.case.yaml files");
    const missing = await runCli(["policy", "test", join(dir, "nowhere"), "--policy", SHIPPED_POLICY_PATH]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("is not a readable folder");
  });
});

describe("patchwarden policy validate report", () => {
  it("names the policy, its classes, its hard-manual classes and its clock-skew tolerance", async () => {
    const policy = await readPolicy(SHIPPED_POLICY_PATH);
    const run = await runCli(["policy", "validate", SHIPPED_POLICY_PATH]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`${SHIPPED_POLICY_PATH}: valid policy \`${policy.name}\` (${policy.digest})`);
    expect(lines[1]).toBe(`  repair classes: ${[...policy.repairClasses.keys()].join(", ")}`);
    expect(lines[1]).toContain("runtime_diagnostics");
    expect(lines[3]).toBe(`  hard-manual classes: ${Object.keys(policy.document.hard_manual).join(", ")}`);
    expect(lines[3]).toContain("service_restart");
    expect(lines[4]).toBe("  clock-skew tolerance: 2m");
  });

  it("says `none` when no class changes the runtime", async () => {
    // Every class read-only, touching no hard-manual action.
    const readOnly = (await readFile(SHIPPED_POLICY_PATH, "utf8")).replaceAll("mutation = true", "mutation = false").replace(/^hard_manual = \[.*\]$/gm, "hard_manual = []");
    const path = join(dir, "read-only.toml");
    await writeFile(path, readOnly);
    const run = await runCli(["policy", "validate", path]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")).toContain("  mutating (at best needs_human): none");
  });
});
