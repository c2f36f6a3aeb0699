import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { currentProcess } from "../../src/locks/process-identity.js";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function claimedFolder(claim: Record<string, unknown>): Promise<{ data: string; claim: string }> {
  const temp = await mkdtemp(join(tmpdir(), "pw-claim-"));
  temps.push(temp);
  const data = join(temp, "data");
  await mkdir(join(data, "inbox"), { recursive: true });
  const path = join(data, "inbox", "server.pid");
  await writeFile(path, JSON.stringify(claim));
  return { data, claim: path };
}

// A claim from another host cannot be checked, so it is never replaced (fail closed). After a
// container is re-created (a new hostname) or a backup that held inbox/server.pid is restored there
// is nothing to stop: the refusal says so, and names the file to remove.
describe("serve on a data folder claimed by a server on another host", () => {
  it("is refused (exit 2), naming that host and the claim file to remove if no server runs there", async () => {
    const { data, claim } = await claimedFolder({ pid: 1, host: "3f2a9c1d7e4b", since: "2026-11-20T03:00:00.000Z" });
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run).toMatchObject({
      code: 2,
      stderr: `patchwarden: another patchwarden serve (pid 1 on host \`3f2a9c1d7e4b\`, since 2026-11-20T03:00:00.000Z) claimed the data folder \`${data}\`, and this host (\`${currentProcess().host}\`) cannot tell whether it still runs there; if it does, stop it or give this one its own PATCHWARDEN_DATA_DIR; if no server runs there (a re-created container, a restored backup), remove \`${claim}\` and start again\n`,
    });
    // Still there: only the operator can know that host runs nothing.
    expect(JSON.parse(await readFile(claim, "utf8"))).toMatchObject({ host: "3f2a9c1d7e4b" });
  });

  it("shows what the claim file says without its control characters", async () => {
    const { data } = await claimedFolder({ pid: 1, host: "box\u001b[2J\r", since: "2026\u0085-11-20" });
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("on host `box [2J `");
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it("starts once the claim file is removed", async () => {
    const { data, claim } = await claimedFolder({ pid: 1, host: "3f2a9c1d7e4b", since: "2026-11-20T03:00:00.000Z" });
    await rm(claim);
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(0);
  });
});
