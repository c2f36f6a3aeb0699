import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("patchwarden schema", () => {
  it("an unknown contract is a usage error listing the known ones, nothing printed", async () => {
    const run = await runCli(["schema", "nope"]);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "patchwarden schema: unknown contract `nope`; known: evidence-bundle\nrun `patchwarden schema --help` for usage\n" });
  });
});

describe("patchwarden policy validate", () => {
  it("lists as changing the runtime the classes that do, and never a read-only class", async () => {
    const run = await runCli(["policy", "validate"]);
    expect(run.code).toBe(0);
    const line = run.stdout.split("\n").find((l) => l.startsWith("  mutating (at best needs_human): "))!;
    const listed = line.slice("  mutating (at best needs_human): ".length).split(", ");
    // The shipped policy: restarts, upgrades, config repairs, cleanups and rotations change the runtime.
    expect(listed).toEqual(["openclaw_upgrade", "gateway_restart", "config_repair", "cache_cleanup", "credential_rotation"]);
    for (const readOnly of ["deploy_drift_probe", "runtime_diagnostics", "incident_triage"]) expect(listed).not.toContain(readOnly);
  });
});

describe("patchwarden queue approve of an unknown id", () => {
  it("is refused (exit 2) before the receipt log is made in the data folder", async () => {
    const data = await mkdtemp(join(tmpdir(), "pw-approve-unknown-"));
    temps.push(data);
    const env = { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "0123456789abcdef0123456789abcdef01234567", PATCHWARDEN_FORGEJO_URL: "http://127.0.0.1:9" };
    const run = await runCli(["queue", "approve", "p_0123456789abcdef0123", "--actor", "alice", "--data-dir", data], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(existsSync(join(data, "receipts"))).toBe(false);
  });
});
