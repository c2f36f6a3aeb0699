import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findCaseFiles, runCaseFile } from "../../src/policy/cases/run-cases.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { fixture } from "../helpers/paths.js";

// A case that passes as shipped: a read-only class, green evidence, eligible for a dry run.
const PASSING = fixture("cases/rules/eligible-read-only-class.case.yaml");
const EXPECT = 'expect:\n  verdict: "eligible_repair_dry_run"\n  reasons:\n    - "dry_run_only"\n';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-case-runner-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function passingText(): Promise<string> {
  const text = await readFile(PASSING, "utf8");
  expect(text).toContain(EXPECT);
  return text;
}

async function run(name: string, text: string) {
  const file = join(dir, name);
  await writeFile(file, text);
  return runCaseFile(file, await readPolicy(), dir);
}

describe("golden case files found under a folder", () => {
  it("are the .case.yaml, .case.yml and .case.json files at any depth, sorted, and nothing else", async () => {
    await mkdir(join(dir, "b", "deeper"), { recursive: true });
    for (const name of ["z.case.yaml", "b/deeper/m.case.json", "b/a.case.yml", "a.case.yaml", "notes.yaml", "showcase.yaml", "x.case.yaml.bak", "y.case.txt", "c.case.YAML.orig"]) {
      await writeFile(join(dir, name), "");
    }
    expect(await findCaseFiles(dir)).toEqual([join(dir, "a.case.yaml"), join(dir, "b", "a.case.yml"), join(dir, "b", "deeper", "m.case.json"), join(dir, "z.case.yaml")]);
  });

  it("list a linked case file and a linked folder, but not a broken link or a link to another file", async () => {
    await mkdir(join(dir, "real"));
    await writeFile(join(dir, "real", "notes.md"), "");
    await writeFile(join(dir, "real", "one.case.yaml"), "");
    await symlink(join(dir, "real", "one.case.yaml"), join(dir, "linked.case.yaml"));
    await symlink(join(dir, "real"), join(dir, "linked-folder"));
    await symlink(join(dir, "real", "notes.md"), join(dir, "notes-link"));
    await symlink(join(dir, "missing"), join(dir, "dangling"));
    expect(await findCaseFiles(dir)).toEqual([join(dir, "linked-folder"), join(dir, "linked.case.yaml"), join(dir, "real", "one.case.yaml")]);
  });
});

describe("one golden case run", () => {
  it("passes, named by its path under the folder without the case suffix", async () => {
    await mkdir(join(dir, "sub"));
    await copyFile(PASSING, join(dir, "sub", "green.case.yaml"));
    const result = await runCaseFile(join(dir, "sub", "green.case.yaml"), await readPolicy(), dir);
    expect(result).toMatchObject({ name: "sub/green", ok: true, failures: [] });
    expect(result.verdict?.verdict).toBe("eligible_repair_dry_run");
  });

  it("ignores the order and repeats of expected reason codes", async () => {
    const text = (await passingText()).replace(EXPECT, 'expect:\n  verdict: "eligible_repair_dry_run"\n  reasons: ["dry_run_only", "dry_run_only"]\n');
    expect(await run("repeats.case.yaml", text)).toMatchObject({ ok: true, failures: [] });
  });

  it("fails when a single expected reason is absent", async () => {
    const text = (await passingText()).replace(EXPECT, 'expect:\n  verdict: "eligible_repair_dry_run"\n  reasons: ["dry_run_only", "evidence_stale"]\n');
    expect(await run("absent.case.yaml", text)).toMatchObject({ ok: false, failures: ["reasons: expected but absent: evidence_stale"] });
  });

  it("fails when a single reason is present but not expected", async () => {
    const text = (await passingText()).replace(EXPECT, 'expect:\n  verdict: "eligible_repair_dry_run"\n  reasons: []\n');
    expect(await run("extra.case.yaml", text)).toMatchObject({ ok: false, failures: ["reasons: present but not expected: dry_run_only"] });
  });

  it("fails on a wrong verdict alone, naming both", async () => {
    const text = (await passingText()).replace(EXPECT, 'expect:\n  verdict: "needs_human"\n  reasons: ["dry_run_only"]\n');
    expect(await run("verdict.case.yaml", text)).toMatchObject({ ok: false, failures: ["verdict: expected `needs_human`, got `eligible_repair_dry_run`"] });
  });

  it("fails, listing every problem, when the case file itself is invalid", async () => {
    const text = (await passingText()).replace(EXPECT, 'expect:\n  verdict: "eligibel"\n  reasons: ["dry_run_onyl"]\n').replace(/^description: .*$/m, 'description: ""');
    const result = await run("invalid.case.yaml", text);
    expect(result.ok).toBe(false);
    expect(result.verdict).toBeNull();
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toContain("case.description: must not be empty");
    expect(result.failures[0]).toContain("case.expect.verdict: unknown value `eligibel`");
    expect(result.failures[0]).toContain("case.expect.reasons[0]: unknown reason code `dry_run_onyl`; did you mean `dry_run_only`?");
  });

  it("fails, quoting the parser, when the case file is not YAML", async () => {
    const result = await run("broken.case.yaml", "description: [unclosed\n");
    expect(result).toMatchObject({ ok: false, verdict: null });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(/^case/);
  });

  it("fails when the case file cannot be read", async () => {
    await mkdir(join(dir, "folder.case.yaml"));
    const result = await runCaseFile(join(dir, "folder.case.yaml"), await readPolicy(), dir);
    expect(result).toMatchObject({ ok: false, verdict: null, name: "folder" });
    expect(result.failures[0]).toMatch(/^cannot read the case file/);
  });

  it("reads a case file well over a few kilobytes", async () => {
    const long = `description: "${"a long description. ".repeat(3000)}"`;
    const text = (await passingText()).replace(/^description: .*$/m, long);
    expect(text.length).toBeGreaterThan(60_000);
    expect(await run("long.case.yaml", text)).toMatchObject({ ok: true, failures: [] });
  });

  it("refuses a case file over one mebibyte", async () => {
    const text = `${await passingText()}# ${"x".repeat(1024 * 1024)}\n`;
    expect(await run("huge.case.yaml", text)).toMatchObject({ ok: false, verdict: null });
  });

  it("judges with the policy the case names, relative to the case file, instead of the one under test", async () => {
    await mkdir(join(dir, "policies"));
    const own = (await readFile(SHIPPED_POLICY_PATH, "utf8"))
      .replace('name = "iskra-openclaw"', 'name = "case-own"')
      .replace(/(\[repair_classes\.runtime_diagnostics\][^[]*?)mutation = false/s, "$1mutation = true");
    expect(own).toContain('name = "case-own"');
    await writeFile(join(dir, "policies", "own.toml"), own);
    const text = (await passingText()).replace(/^now: /m, 'policy: "policies/own.toml"\nnow: ');
    const result = await run("own-policy.case.yaml", text);
    // The class changes the runtime under the case's own policy: no longer eligible for a dry run.
    expect(result.verdict?.verdict).toBe("needs_human");
    expect(result.ok).toBe(false);
  });
});
