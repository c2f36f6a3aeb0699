import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { runCli } from "../helpers/run-cli.js";

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-policy-path-"));
  await cp(SHIPPED_POLICY_PATH, join(temp, "candidate.toml"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("a relative policy path", () => {
  it("is read from the command's working folder, given by --policy or by $PATCHWARDEN_POLICY", async () => {
    const byFlag = await runCli(["policy", "validate", "--policy", "candidate.toml"], { cwd: temp });
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toMatch(/valid policy `iskra-openclaw`/);
    const byVariable = await runCli(["policy", "validate"], { cwd: temp, env: { PATCHWARDEN_POLICY: "candidate.toml" } });
    expect(byVariable.code).toBe(0);
    expect(byVariable.stdout).toMatch(/valid policy `iskra-openclaw`/);
  });

  it("names the file it looked for under the working folder when it is not there", async () => {
    const run = await runCli(["policy", "validate", "--policy", "absent.toml"], { cwd: temp });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(temp, "absent.toml"));
  });
});

describe("`policy` in the PATCHWARDEN_CONFIG file that is not a path", () => {
  it("is refused (exit 2) with an example of a path in quotes", async () => {
    const config = join(temp, "patchwarden.toml");
    await writeFile(config, "policy = 5\n");
    const run = await runCli(["policy", "validate"], { cwd: temp, env: { PATCHWARDEN_CONFIG: config } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('policy in `' + config + '`: must be a path in quotes, e.g. `policy = "/etc/patchwarden/policy.toml"`');
  });
});
