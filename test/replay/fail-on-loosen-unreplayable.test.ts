import { readdir, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// `replay --fail-on-loosen` fails when a verdict cannot be replayed because its kept evidence went
// missing, as it does for one recorded without evidence: the replay cannot show nothing loosens.

const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-unreplayable-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" });

describe("--fail-on-loosen with only a verdict whose kept evidence is gone", () => {
  it("exits 1 (the replay cannot show that nothing loosens), and the what-if counts it as not replayed", async () => {
    expect((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: env() })).code).toBe(0);
    const shard = (await readdir(join(dataDir, "evidence"))).sort()[0]!;
    const [file] = await readdir(join(dataDir, "evidence", shard));
    await rm(join(dataDir, "evidence", shard, file!));
    const json = JSON.parse((await runCli(["replay", "--json"], { env: env() })).stdout);
    expect(json.without_evidence).toBe(0);
    expect(json.unreplayable).toHaveLength(1);
    const strict = await runCli(["replay", "--fail-on-loosen"], { env: env() });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("1 past verdict(s) could not be replayed, so the replay cannot show that nothing loosens");
    const text = await readFile(SHIPPED_POLICY_PATH, "utf8");
    const { whatIf } = await runWhatIf(dataDir, { path: "policies/iskra-openclaw.v0.toml", ref: "abc", bytes: Buffer.from(text.replace("# Check a change with:", "# Check any change with:")) }, null, await readPolicy());
    expect(whatIf).toMatchObject({ replayed: 0, loosened: 0, looser_settings: 0, not_replayed: 1 });
  });
});
