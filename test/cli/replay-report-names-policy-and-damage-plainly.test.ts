import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-plain-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" });

async function twoVerdicts(): Promise<void> {
  for (let i = 0; i < 2; i++) expect((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: env() })).code).toBe(0);
}

describe("replay's text report", () => {
  it("names a policy under the working folder by its path from there", async () => {
    await twoVerdicts();
    await mkdir(join(temp, "policies"));
    await cp(SHIPPED_POLICY_PATH, join(temp, "policies", "candidate.toml"));
    const run = await runCli(["replay", "--policy", join(temp, "policies", "candidate.toml")], { env: env(), cwd: temp });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("under policies/candidate.toml (");
    expect(run.stdout).not.toContain(temp);
  });
});

describe("replay over a damaged receipt log", () => {
  it("says what is damaged as a finding (exit 1), not as a bug of its own", async () => {
    await twoVerdicts();
    const log = receiptPaths(dataDir).log;
    const lines = (await readFile(log, "utf8")).split("\n").filter(Boolean);
    await writeFile(log, `${lines[0]}\n`);
    const run = await runCli(["replay"], { env: env() });
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/^patchwarden: .*receipts\.jsonl: ends at receipt 1, but receipts\.head records receipt 2/);
    expect(run.stderr).not.toContain("internal error");
    expect(run.stderr).not.toContain("this is a bug");
  });
});
