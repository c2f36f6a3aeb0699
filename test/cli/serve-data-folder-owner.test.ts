import { chown, lstat, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-serve-owner-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// Only root can give a folder to another user.
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const NO_NAME = 54321;

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(path);
    if (entry.isDirectory()) out.push(...(await walk(path)));
  }
  return out;
}

// `sudo … serve` on /var/lib/patchwarden, which belongs to the service user, would leave files the
// next start as that user cannot open (inbox, webhook secret, receipts, mutex records).
describe("serve on a data folder that belongs to another user", () => {
  it.skipIf(!isRoot)("is refused with exit 2, naming the owner and how to run as them, and nothing is written into it", async () => {
    const data = join(await scratch(), "data");
    await mkdir(data, { mode: 0o750 });
    await chown(data, NOBODY, NOBODY);
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(await walk(data)).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`patchwarden: PATCHWARDEN_DATA_DIR: \`${data}\`: belongs to `);
    expect(run.stderr).toMatch(/uid 65534\)?, not to .*uid 0\)?, who runs this server; .*nothing was written; run it as the owner, e\.g\. `sudo -u (nobody|'#65534') patchwarden serve`/);
  });

  it.skipIf(!isRoot)("names an owner without a user name by uid, quoted for the shell", async () => {
    const data = join(await scratch(), "data");
    await mkdir(data, { mode: 0o750 });
    await chown(data, NO_NAME, NO_NAME);
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`belongs to uid ${NO_NAME}, not to`);
    expect(run.stderr).toContain(`\`sudo -u '#${NO_NAME}' patchwarden serve\``);
    expect(await walk(data)).toEqual([]);
  });

  it("starts on a folder of its own user's, and makes one that is not there", async () => {
    const temp = await scratch();
    const own = join(temp, "own");
    await mkdir(own);
    for (const data of [own, join(temp, "new")]) {
      const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
      expect(run.stderr).not.toMatch(/belongs to/);
      expect(run.code).toBe(0);
      expect((await lstat(join(data, "inbox"))).uid).toBe(process.geteuid?.());
    }
  });
});
