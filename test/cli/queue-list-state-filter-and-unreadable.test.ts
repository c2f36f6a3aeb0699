import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-queue-list-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const CHECK = ["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z"];

async function propose(data: string, target: string): Promise<string> {
  const proposed = await runCli([...CHECK, "--propose", target, "--actor", "alice", "--data-dir", data]);
  return /proposed (\S+)/.exec(proposed.stderr)![1]!;
}

const ids = (stdout: string) => stdout.trim().split("\n").slice(1).map((line) => line.split(/\s+/)[0]);

describe("patchwarden queue list", () => {
  it("--state lists only the proposals in that state", async () => {
    const data = await scratch();
    const kept = await propose(data, "owner/repo#1");
    const dropped = await propose(data, "owner/repo#2");
    expect((await runCli(["queue", "reject", dropped, "--reason", "not this one", "--actor", "alice", "--data-dir", data])).code).toBe(0);
    const pending = await runCli(["queue", "list", "--state", "pending", "--data-dir", data]);
    expect(pending.code).toBe(0);
    expect(ids(pending.stdout)).toEqual([kept]);
    const rejected = await runCli(["queue", "list", "--state", "rejected", "--data-dir", data]);
    expect(ids(rejected.stdout)).toEqual([dropped]);
    expect(await runCli(["queue", "list", "--state", "posted", "--data-dir", data])).toEqual({ code: 0, stdout: "no posted proposals\n", stderr: "" });
    expect((await runCli(["queue", "list", "--data-dir", data])).stdout.trim().split("\n")).toHaveLength(3);
  });

  it("with every proposal file unreadable, says none is readable, not that the queue is empty (exit 1)", async () => {
    const data = await scratch();
    const id = await propose(data, "owner/repo#1");
    await writeFile(join(data, "queue", "proposals", `${id}.json`), "{ half a file");
    const all = await runCli(["queue", "list", "--data-dir", data]);
    expect(all.code).toBe(1);
    expect(all.stdout).toBe("no readable proposals\n");
    expect(all.stderr).toMatch(/1 proposal file cannot be read; the list above leaves it out\n$/);
    const pending = await runCli(["queue", "list", "--state", "pending", "--data-dir", data]);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toBe("no readable pending proposals\n");
  });

  it("queue show gives each history entry's reason, so a rejection says why", async () => {
    const data = await scratch();
    const id = await propose(data, "owner/repo#1");
    expect((await runCli(["queue", "reject", id, "--reason", "evidence is from the wrong host", "--actor", "bob", "--data-dir", data])).code).toBe(0);
    const shown = await runCli(["queue", "show", id, "--data-dir", data]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/\n {2}\S+ {2}rejected {3}bob — evidence is from the wrong host\n/);
  });
});
