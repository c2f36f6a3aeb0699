import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { unusablePathError } from "../../src/cli/path-errors.js";
import { makeFolder } from "../../src/fsutil/make-folder.js";

// The hourly gate's data folder full, or on a read-only file system (a drop-in that moved the data
// folder but not ReadWritePaths=, a remounted disk): the run cannot record, so it must say so as
// "cannot run" (exit 2), naming the folder and what to fix; never "internal error ... this is a bug".
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync("sh", ["-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d; r=$?; rmdir $d; exit $r"]);
  return probe.status === 0;
}
const MOUNTABLE = canMount();

let temp: string;
let mnt: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-data-disk-faults-"));
  mnt = join(temp, "mnt");
  await mkdir(mnt);
});
afterEach(async () => {
  spawnSync("umount", [mnt]);
  await rm(temp, { recursive: true, force: true });
});

const mount = (options: string) => expect(spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", mnt]).status).toBe(0);
const gateRun = (dataDir: string) => runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "iskra/ops#7", "--data-dir", dataDir, "--actor", "patchwarden", "--now", NOON]);

// Mounting needs root; elsewhere the unit tests below and in path-errors cover the messages.
describe.runIf(MOUNTABLE)("the hourly gate's data folder cannot be written", () => {
  it("a full data folder is a 'cannot run' naming the folder, not a bug report", async () => {
    mount("size=64k");
    const data = join(mnt, "data");
    await mkdir(data);
    // Leave about 4 KiB: enough to start, not enough to record.
    await writeFile(join(mnt, "filler"), Buffer.alloc(60 * 1024)).catch(() => {});
    const run = await gateRun(data);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(run.stderr).toContain(data);
    expect(run.stderr).toMatch(/no space/i);
    expect(run.code).toBe(2);
  });

  it("a fresh data folder on a read-only file system says read-only, not `no such file` in a bug report", async () => {
    mount("size=1m");
    const data = join(mnt, "data");
    await mkdir(data);
    expect(spawnSync("mount", ["-o", "remount,ro", mnt]).status).toBe(0);
    expect(await readdir(data)).toEqual([]);
    const run = await gateRun(data);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(run.stderr).not.toContain("ENOENT");
    expect(run.stderr).toMatch(/read-only file system/);
    expect(run.code).toBe(2);
  });
});

describe("a full or read-only disk's error, which carries no path, is named by the data folder", () => {
  it.each([
    ["ENOSPC", "no space is left on its device; free some space, then run the command again"],
    ["EDQUOT", "the disk quota is used up; free some space, then run the command again"],
    ["EROFS", "is on a read-only file system; give a path on a writable one"],
  ])("%s", (code, message) => {
    const error = Object.assign(new Error(`${code}: write`), { code, syscall: "write" });
    expect(unusablePathError(error, "/var/lib/patchwarden")?.message).toBe(`\`/var/lib/patchwarden\`: ${message}`);
    // Without a folder to name it stays what it is: the command's own net has nothing better to say.
    expect(unusablePathError(error)).toBeNull();
  });

  it("makeFolder reports what the system refused, not ENOENT, for a folder it cannot create", async () => {
    const file = join(temp, "a-file");
    await writeFile(file, "x");
    await expect(makeFolder(join(file, "receipts", "deeper"))).rejects.toMatchObject({ code: "ENOTDIR" });
    await makeFolder(join(temp, "new", "receipts"), 0o750);
    expect(await readdir(join(temp, "new"))).toEqual(["receipts"]);
  });
});
