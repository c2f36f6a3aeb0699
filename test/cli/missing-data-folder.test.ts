import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-missing-data-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// A typo in --data-dir (or PATCHWARDEN_DATA_DIR with a stray space) must not read as an empty
// folder: "no repair locks are held" right before the operator acts on a target a lease still covers.
describe("operator commands on a data folder that is not there refuse it (exit 2, naming it) instead of answering \"nothing\"", () => {
  it.each([
    ["lock status", ["lock", "status"]],
    ["lock status --json", ["lock", "status", "--json"]],
    ["receipts tail", ["receipts", "tail"]],
    ["receipts show", ["receipts", "show", "1"]],
    ["queue show", ["queue", "show", "p_0123456789abcdef0123"]],
    ["queue reject", ["queue", "reject", "p_0123456789abcdef0123", "--reason", "r", "--actor", "alice"]],
    ["lock release", ["lock", "release", "lk-3f9a2c71d0e4", "--reason", "r", "--actor", "alice"]],
    ["receipts reanchor", ["receipts", "reanchor", "--reason", "r", "--actor", "alice"]],
  ])("%s", async (_name, argv) => {
    const missing = join(await scratch(), "var-lib-patchwarnden");
    const run = await runCli([...argv, "--data-dir", missing]);
    expect(run).toEqual({ code: 2, stdout: "", stderr: `patchwarden: --data-dir: \`${missing}\`: no such folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n` });
    // Not made on the way: a writer (lock release, reanchor) must not start a new log there.
    expect(existsSync(missing)).toBe(false);
  });

  it("queue approve", async () => {
    const missing = join(await scratch(), "var-lib-patchwarnden");
    const run = await runCli(["queue", "approve", "p_0123456789abcdef0123", "--actor", "alice", "--data-dir", missing], { env: { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "0123456789abcdef0123456789abcdef01234567" } });
    expect(run).toEqual({ code: 2, stdout: "", stderr: `patchwarden: --data-dir: \`${missing}\`: no such folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n` });
  });

  it("the same for PATCHWARDEN_DATA_DIR, named as the variable", async () => {
    const missing = join(await scratch(), "data ");
    const run = await runCli(["lock", "status"], { env: { PATCHWARDEN_DATA_DIR: missing } });
    expect(run).toMatchObject({ code: 2, stdout: "", stderr: expect.stringContaining(`PATCHWARDEN_DATA_DIR: \`${missing}\`: no such folder`) });
  });
});

// The hourly gate run passes --data-dir; a typo there judged with no locks, so a target a lease
// still covers could come out eligible. The default ./data may be absent (nothing recorded yet).
describe("a read-only runtime-repair-check", () => {
  const bundle = join(import.meta.dirname, "../../fixtures/examples/runtime-diagnostics.bundle.yaml");
  const check = ["runtime-repair-check", "--bundle", bundle, "--now", "2026-11-21T12:00:00Z", "--format", "json"];

  it("refuses a named data folder that is not there", async () => {
    const missing = join(await scratch(), "var-lib-patchwarnden");
    const run = await runCli([...check, "--data-dir", missing]);
    expect(run).toEqual({ code: 2, stdout: "", stderr: `patchwarden: --data-dir: \`${missing}\`: no such folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n` });
  });

  it("judges with no locks where the default folder is absent", async () => {
    const run = await runCli(check, { cwd: await scratch() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: "eligible_repair_dry_run" });
  });
});
