import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// docs/operations/openclaw-runtime-repair-evaluator.md: a newest entry dated more than 5 seconds after
// this host's clock "blocks with `bundle_unreadable`, naming the file and both times". File systems keep
// modification times to the nanosecond (a `cp -p`, `rsync -t` or `touch -d` keeps them), so mtimeMs has a
// fraction; the message must still give the time as an ISO-8601 time the operator can read and compare.
let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-walk-future-"));
  await mkdir(join(temp, "data"));
  await mkdir(join(temp, "evidence"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("--latest-in: a newest entry dated after this host's clock", () => {
  it("names the file's time as a well-formed ISO time when the mtime has sub-millisecond digits", async () => {
    const path = join(temp, "evidence", "a.bundle.yaml");
    await writeFile(path, await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8"));
    // An hour ahead, with microseconds (as `touch -d '+1 hour'` leaves them).
    const ahead = Math.floor(Date.now() / 1000) + 3600 + 0.350649;
    await utimes(path, ahead, ahead);
    const run = await runCli(["runtime-repair-check", "--latest-in", join(temp, "evidence"), "--now", "2026-11-21T12:00:00Z"], {
      env: { PATCHWARDEN_DATA_DIR: join(temp, "data") },
    });
    expect(run.code).toBe(20);
    const message: string = JSON.parse(run.stdout).reasons[0].message;
    expect(message).toMatch(/is dated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z, after this host's clock \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\)/);
  });
});
