import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-policy-test-links-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** An inline-bundle case that passes as shipped, and the same case expecting a verdict it does not get. */
async function writeCases(): Promise<{ cases: string; wrong: string }> {
  const cases = join(dir, "cases");
  const elsewhere = join(dir, "shared");
  await mkdir(cases);
  await mkdir(join(elsewhere, "more"), { recursive: true });
  const source = fixture("cases/rules/eligible-read-only-class.case.yaml");
  await copyFile(source, join(cases, "passing.case.yaml"));
  const wrong = (await readFile(source, "utf8")).replace('verdict: "eligible_repair_dry_run"', 'verdict: "blocked"');
  expect(wrong).toContain('verdict: "blocked"');
  await writeFile(join(elsewhere, "failing.case.yaml"), wrong);
  await writeFile(join(elsewhere, "more", "failing-too.case.yaml"), wrong);
  return { cases, wrong };
}

describe("patchwarden policy test: a failing case under DIR never leaves the run green", () => {
  it("runs (or refuses) a case file that is a symlink, instead of skipping it and passing", async () => {
    const { cases } = await writeCases();
    await symlink(join(dir, "shared", "failing.case.yaml"), join(cases, "failing.case.yaml"));
    const run = await runCli(["policy", "test", cases, "--policy", SHIPPED_POLICY_PATH]);
    expect(run.code, run.stdout + run.stderr).not.toBe(0);
  });

  it("runs (or refuses) the cases of a linked folder, instead of skipping them and passing", async () => {
    const { cases } = await writeCases();
    await symlink(join(dir, "shared", "more"), join(cases, "more"));
    const run = await runCli(["policy", "test", cases, "--policy", SHIPPED_POLICY_PATH]);
    expect(run.code, run.stdout + run.stderr).not.toBe(0);
  });

  it("control: the same failing case as a plain file fails the run", async () => {
    const { cases, wrong } = await writeCases();
    await writeFile(join(cases, "failing.case.yaml"), wrong);
    const run = await runCli(["policy", "test", cases, "--policy", SHIPPED_POLICY_PATH]);
    expect(run.code).toBe(1);
  });
});
