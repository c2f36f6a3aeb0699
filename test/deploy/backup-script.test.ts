import { spawnSync } from "node:child_process";
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, REPO_ROOT } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDirs } from "../receipts/helpers.js";

// docs/operations/install.md §3, "A consistent copy while the gate runs", run as written with only
// its paths replaced. The script makes the backup folder private first (`install -d -m 0700 "$B"`),
// then extracts the data folder's tar stream into it; without `--no-overwrite-dir`, tar restores the
// archive's `.` entry onto "$B", which takes the data folder's mode (0750) and, as root, its owner.
const temp = tempDirs("backup-script");

describe("install.md §3 backup script, run as written", () => {
  it("leaves the backup folder private (0700), as its `install -d -m 0700 \"$B\"` asks", async () => {
    const dir = await temp();
    const data = join(dir, "data");
    await mkdir(data);
    await chmod(data, 0o750);
    const made = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--propose", "pdurlej/iskra-openclaw#43", "--actor", "alice", "--data-dir", data], { now: Date.parse("2026-11-21T12:00:00Z") });
    expect(made.code).toBe(0);

    const doc = await readFile(join(REPO_ROOT, "docs", "operations", "install.md"), "utf8");
    const script = /sudo sh -eu <<'SCRIPT'\n([\s\S]*?)\nSCRIPT\n/.exec(doc)![1]!
      .replaceAll("/var/backups/patchwarden", join(dir, "backups"))
      .replaceAll("/var/lib/patchwarden", data)
      .replace(/^KEYS=.*$/m, 'KEYS=""')
      .replaceAll("node /opt/patchwarden/dist/cli/main.js", `node ${join(REPO_ROOT, "dist", "cli", "main.js")}`);
    await writeFile(join(dir, "backup.sh"), script);
    const run = spawnSync("sh", ["-eu", join(dir, "backup.sh")], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const [backup] = await readdir(join(dir, "backups"));
    expect(((await stat(join(dir, "backups", backup!))).mode & 0o777).toString(8)).toBe("700");
  });
});
