import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readServerConfig } from "../../src/config/read-server-config.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The hourly gate's unit reads the server's settings; if `policy` in the PATCHWARDEN_CONFIG file
// bound only the server, the gate would judge under a looser policy than the server does.
let dir: string;
let env: Record<string, string>;
const strictPath = () => join(dir, "strict.toml");
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-policy-config-"));
  const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  // The operator's stricter policy: runtime diagnostics count as a mutation (at best needs_human).
  const strict = shipped.replace(/(\[repair_classes\.runtime_diagnostics\][^[]*?)mutation = false/, "$1mutation = true");
  expect(strict).not.toBe(shipped);
  await writeFile(strictPath(), strict);
  await writeFile(join(dir, "patchwarden.toml"), `policy = "strict.toml"\n`);
  env = { PATCHWARDEN_CONFIG: join(dir, "patchwarden.toml"), USER: "op" };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const check = (extra: string[] = [], runEnv = env) =>
  runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--now", "2026-11-21T12:00:00Z", ...extra], { env: runEnv, cwd: dir });

describe("`policy` in the PATCHWARDEN_CONFIG file", () => {
  it("is the server's policy and the one every judging command uses", async () => {
    expect((await readServerConfig(env, dir)).policyPath).toBe(strictPath());
    // Under the operator's policy the class mutates: needs_human (10); under the shipped one, eligible (0).
    expect((await check()).code).toBe(10);
    const validate = await runCli(["policy", "validate"], { env, cwd: dir });
    expect(validate).toMatchObject({ code: 0, stdout: expect.stringContaining(`${strictPath()}: valid policy`) });
    expect(validate.stdout).toMatch(/mutating \(at best needs_human\): .*runtime_diagnostics/);
    await mkdir(join(dir, "data"));
    const replay = await runCli(["replay", "--data-dir", join(dir, "data")], { env, cwd: dir });
    expect(replay).toMatchObject({ code: 0, stdout: expect.stringContaining("strict.toml") });
  });

  it("gives way to --policy and to $PATCHWARDEN_POLICY, as for the server", async () => {
    expect((await check(["--policy", SHIPPED_POLICY_PATH])).code).toBe(0);
    expect((await check([], { ...env, PATCHWARDEN_POLICY: SHIPPED_POLICY_PATH })).code).toBe(0);
    // An empty variable counts as unset, so the file's policy holds.
    expect((await check([], { ...env, PATCHWARDEN_POLICY: "" })).code).toBe(10);
  });

  it("is refused when empty or not a string, rather than falling back to the shipped policy", async () => {
    await writeFile(join(dir, "patchwarden.toml"), `policy = ""\n`);
    expect(await check()).toMatchObject({ code: 2, stderr: expect.stringContaining(`policy in \`${join(dir, "patchwarden.toml")}\`: must be a path in quotes`) });
    await writeFile(join(dir, "patchwarden.toml"), `policy = 3\n`);
    expect((await check()).code).toBe(2);
  });
});
