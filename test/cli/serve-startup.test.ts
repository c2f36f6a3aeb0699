import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-serve-start-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function occupiedPort(): Promise<{ port: number; blocker: Server }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
  return { port: (blocker.address() as { port: number }).port, blocker };
}

const NOT_A_BUG = /internal error|this is a bug/;

// systemd restarts serve on any exit but 2 (RestartPreventExitStatus=2): a start-up mistake must exit 2.
describe("serve: ordinary start-up mistakes are configuration errors (exit 2), not bugs", () => {
  it("PATCHWARDEN_RECEIPT_KEY naming a missing file", async () => {
    const temp = await scratch();
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data"), PATCHWARDEN_LISTEN: "127.0.0.1:0", PATCHWARDEN_RECEIPT_KEY: join(temp, "no-such.key") } });
    expect(run.stderr).not.toMatch(NOT_A_BUG);
    expect(run.stderr).toMatch(/PATCHWARDEN_RECEIPT_KEY: .*no-such\.key.*no such file/);
    expect(run.code).toBe(2);
  });

  it("a second serve on the same data folder", async () => {
    const temp = await scratch();
    const env = { PATCHWARDEN_DATA_DIR: join(temp, "data"), PATCHWARDEN_LISTEN: "127.0.0.1:0" };
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const first = runCli(["serve"], { env, untilStopped: () => stopped });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await runCli(["serve"], { env });
    stop();
    expect((await first).code).toBe(0);
    expect(second.stderr).toMatch(/another patchwarden serve/);
    expect(second.stderr).not.toMatch(NOT_A_BUG);
    expect(second.code).toBe(2);
  });

  it("PATCHWARDEN_LISTEN on a port already in use, and the data folder is released after", async () => {
    const temp = await scratch();
    const { port, blocker } = await occupiedPort();
    try {
      const data = join(temp, "data");
      const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: `127.0.0.1:${port}` } });
      expect(run.stderr).not.toMatch(NOT_A_BUG);
      expect(run.stderr).toMatch(new RegExp(`PATCHWARDEN_LISTEN: \`127\\.0\\.0\\.1:${port}\` is in use`));
      expect(run.code).toBe(2);
      // Nothing left half-open: the claim on the folder is gone, so the next start is not refused.
      expect(await readdir(join(data, "inbox"))).not.toContain("server.pid");
      const again = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
      expect(again.stderr).not.toMatch(/another patchwarden serve/);
      expect(again.code).toBe(0);
    } finally {
      blocker.close();
    }
  });

  it("PATCHWARDEN_LISTEN naming a host that does not resolve", async () => {
    const temp = await scratch();
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data"), PATCHWARDEN_LISTEN: "no-such-host.invalid:8787" } });
    expect(run.stderr).not.toMatch(NOT_A_BUG);
    expect(run.stderr).toMatch(/PATCHWARDEN_LISTEN: `no-such-host\.invalid:8787`/);
    expect(run.code).toBe(2);
  });

  it("PATCHWARDEN_DATA_DIR naming a file", async () => {
    const temp = await scratch();
    const file = join(temp, "a-file");
    await writeFile(file, "x");
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: file, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.stderr).not.toMatch(NOT_A_BUG);
    expect(run.stderr).toContain(`PATCHWARDEN_DATA_DIR: \`${file}\`: is a file, not a folder`);
    expect(run.code).toBe(2);
  });
});
