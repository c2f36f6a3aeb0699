import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-operator-config-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const CHECK = ["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z"];

async function propose(data: string): Promise<string> {
  const proposed = await runCli([...CHECK, "--propose", "owner/repo#1", "--actor", "alice", "--data-dir", data]);
  return /proposed (\S+)/.exec(proposed.stderr)![1]!;
}

async function keyIn(temp: string): Promise<{ key: string; pub: string }> {
  const made = await runCli(["receipts", "keygen", "--out", join(temp, "keys")]);
  expect(made.code).toBe(0);
  return { key: join(temp, "keys", "receipt-signing.key"), pub: join(temp, "keys", "receipt-signing.pub") };
}

describe("operator commands read the data folder and signing key of PATCHWARDEN_CONFIG, as the server does", () => {
  it("queue approve uses the data folder of the PATCHWARDEN_CONFIG it reads", async () => {
    const temp = await scratch();
    const data = join(temp, "server-data");
    const id = await propose(data);
    const config = join(temp, "patchwarden.toml");
    await writeFile(config, `data_dir = "${data}"\nforgejo_url = "http://127.0.0.1:9"\n`);
    const run = await runCli(["queue", "approve", id, "--actor", "alice"], { cwd: temp, env: { PATCHWARDEN_CONFIG: config, PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token" }, now: Date.parse("2026-11-21T05:00:00Z") });
    expect(run.stderr).not.toMatch(/no proposal/);
    // It got as far as Forgejo (nothing listens on port 9): the proposal was found and re-judged.
    expect(run.stderr).toMatch(/Forgejo/);
  });

  it("queue reject signs its receipt with the config's receipt_key, into the config's data folder", async () => {
    const temp = await scratch();
    const { key, pub } = await keyIn(temp);
    const data = join(temp, "server-data");
    const config = join(temp, "patchwarden.toml");
    await writeFile(config, `data_dir = "${data}"\nreceipt_key = "${key}"\n`);
    const env = { PATCHWARDEN_CONFIG: config };
    // The proposal is made signed too, so the whole log verifies against the key.
    const proposed = await runCli([...CHECK, "--propose", "owner/repo#1", "--actor", "alice"], { cwd: temp, env });
    const id = /proposed (\S+)/.exec(proposed.stderr)![1]!;
    const run = await runCli(["queue", "reject", id, "--reason", "wrong host", "--actor", "alice"], { cwd: temp, env });
    expect(run).toMatchObject({ code: 0, stdout: `rejected ${id}\n` });
    const lines = (await readFile(join(data, "receipts", "receipts.jsonl"), "utf8")).trim().split("\n");
    expect(lines.at(-1)).toMatch(/"kind":"proposal\.rejected".*"sig":"/);
    expect((await runCli(["receipts", "verify", "--public-key", pub], { cwd: temp, env })).code).toBe(0);
  });

  it("takes the flag over the environment, and the environment over the file", async () => {
    const temp = await scratch();
    const config = join(temp, "patchwarden.toml");
    await writeFile(config, `data_dir = "${join(temp, "from-file")}"\n`);
    const where = async (args: string[], env: Record<string, string>) => {
      const run = await runCli([...CHECK, "--receipt", "--actor", "alice", ...args], { cwd: temp, env: { PATCHWARDEN_CONFIG: config, ...env } });
      expect(run.stderr).toMatch(/recorded the verdict/);
      const verified = await runCli(["receipts", "verify", ...args], { cwd: temp, env: { PATCHWARDEN_CONFIG: config, ...env } });
      return verified.stdout.split(":")[0];
    };
    expect(await where([], {})).toBe(join(temp, "from-file", "receipts", "receipts.jsonl"));
    expect(await where([], { PATCHWARDEN_DATA_DIR: join(temp, "from-env") })).toBe(join(temp, "from-env", "receipts", "receipts.jsonl"));
    expect(await where(["--data-dir", join(temp, "from-flag")], { PATCHWARDEN_DATA_DIR: join(temp, "from-env") })).toBe(join(temp, "from-flag", "receipts", "receipts.jsonl"));
  });

  it("a receipt_key it cannot use is named as the config's, exit 2, nothing written", async () => {
    const temp = await scratch();
    const config = join(temp, "patchwarden.toml");
    await writeFile(config, `data_dir = "${join(temp, "data")}"\nreceipt_key = "${join(temp, "no-such.key")}"\n`);
    const run = await runCli([...CHECK, "--receipt", "--actor", "alice"], { cwd: temp, env: { PATCHWARDEN_CONFIG: config } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`patchwarden: receipt_key in \`${config}\`: ${join(temp, "no-such.key")}: cannot read the receipt signing key (no such file)`);
  });

  it("an unreadable PATCHWARDEN_CONFIG is exit 2, and is not read when --data-dir answers", async () => {
    const temp = await scratch();
    const env = { PATCHWARDEN_CONFIG: join(temp, "missing.toml") };
    expect(await runCli(["queue", "list"], { cwd: temp, env })).toMatchObject({ code: 2, stderr: expect.stringContaining("PATCHWARDEN_CONFIG: cannot read") });
    expect(await runCli(["queue", "list", "--data-dir", temp], { cwd: temp, env })).toMatchObject({ code: 0, stdout: "the queue is empty\n" });
  });

  it("lock release and receipts reanchor say --actor defaults to $PATCHWARDEN_OPERATOR first", async () => {
    for (const command of [["lock", "release"], ["receipts", "reanchor"]]) {
      expect((await runCli([...command, "--help"])).stdout).toContain("--actor LOGIN    the operator (default: $PATCHWARDEN_OPERATOR, else $USER)");
    }
  });
});
