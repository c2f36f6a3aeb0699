import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import { cp, mkdir, mkdtemp, open, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";

// A FIFO (or any special file) where a bundle or artifact should be must block the verdict, not
// hang the hourly gate on an open() that waits for a writer forever.
const at = (iso: string) => new Date(iso);
const HANG_GUARD_MS = 5_000;

let temp: string;
let evidenceDir: string;
const fifos: string[] = [];
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-fifo-"));
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(join(temp, "gate-data"));
  evidenceDir = join(temp, "evidence");
  await mkdir(evidenceDir);
});
afterEach(async () => {
  // Release any reader the old code left waiting in open(): a writer arriving lets it finish.
  for (const fifo of fifos.splice(0)) {
    const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
    await writer?.close();
  }
  await rm(temp, { recursive: true, force: true });
});

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
  fifos.push(path);
}

async function checkWithin(args: string[]): Promise<CliRun | "hung"> {
  const run = runCli(["runtime-repair-check", ...args, "--now", "2026-11-21T05:00:00Z", "--format", "text"], { env: { PATCHWARDEN_DATA_DIR: join(temp, "gate-data"), USER: "patchwarden" } });
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), HANG_GUARD_MS)));
  try {
    return await Promise.race([run, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function greenRun(): Promise<string> {
  const run = join(evidenceDir, "run-0440");
  await cp(fixture("openclaw-runs/green"), run, { recursive: true });
  await utimes(join(run, "evidence-bundle.json"), at("2026-11-21T04:44:47Z"), at("2026-11-21T04:44:47Z"));
  return run;
}

describe("runtime-repair-check and FIFOs", () => {
  it("blocks (artifact_missing) on a FIFO in place of a kit artifact under --latest-in", async () => {
    const run = await greenRun();
    await rm(join(run, "runtime-truth.json"));
    mkfifo(join(run, "runtime-truth.json"));
    const result = await checkWithin(["--latest-in", evidenceDir]);
    expect(result).not.toBe("hung");
    expect((result as CliRun).code).toBe(20);
    expect((result as CliRun).stdout).toContain("artifact_missing");
    expect((result as CliRun).stdout).toContain("not a regular file");
  });

  it("blocks (bundle_unreadable) on a FIFO in place of a run folder's evidence-bundle.json, by --latest-in and --bundle", async () => {
    const run = await greenRun();
    await rm(join(run, "evidence-bundle.json"));
    mkfifo(join(run, "evidence-bundle.json"));
    for (const args of [["--latest-in", evidenceDir], ["--bundle", run], ["--bundle", join(run, "evidence-bundle.json")]]) {
      const result = await checkWithin(args);
      expect(result, args.join(" ")).not.toBe("hung");
      expect((result as CliRun).code).toBe(20);
      expect((result as CliRun).stdout).toContain("bundle_unreadable");
      expect((result as CliRun).stdout).toContain("not a regular file");
    }
  });

  it("blocks on a FIFO named like a bundle file in the evidence folder", async () => {
    await greenRun();
    const fifo = join(evidenceDir, "zz-bundle.yaml");
    mkfifo(fifo);
    await utimes(fifo, at("2026-11-21T04:50:00Z"), at("2026-11-21T04:50:00Z"));
    const result = await checkWithin(["--latest-in", evidenceDir]);
    expect(result).not.toBe("hung");
    expect((result as CliRun).code).toBe(20);
    expect((result as CliRun).stdout).toContain("bundle_unreadable");
  });
});
