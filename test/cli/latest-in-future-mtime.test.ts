import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The clock skewed: a bundle written before the host clock was stepped back an hour (or copied in
// with `cp -p`/`rsync -t` from a host whose clock runs ahead) carries a modification time in the
// future. --latest-in ranks by modification time, so that older bundle shadows every bundle written
// after it for the next hour, and the gate judges it instead of the newer, failing one.
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
let evidenceDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-latest-in-future-"));
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(join(temp, "data"));
  evidenceDir = join(temp, "evidence");
  await mkdir(evidenceDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("--latest-in with a modification time in the future", () => {
  it("blocks, naming the file and the clock, instead of judging an older green bundle over the newer failing one", async () => {
    const green = await readFile(EXAMPLE, "utf8");
    const failing = green.replace("status: pass\n    summary: no open incidents", "status: fail\n    summary: two open incidents");
    expect(failing).not.toBe(green);

    // Written first, while the clock ran an hour ahead.
    const older = join(evidenceDir, "a-0955.bundle.yaml");
    await writeFile(older, green);
    const ahead = new Date(Date.now() + 60 * 60_000);
    await utimes(older, ahead, ahead);
    // Written after the clock was corrected: the newest evidence, and it fails.
    const newer = join(evidenceDir, "b-0958.bundle.yaml");
    await writeFile(newer, failing);
    const settled = new Date(Date.now() - 10_000);
    await utimes(newer, settled, settled);

    const alone = await runCli(["runtime-repair-check", "--bundle", newer, "--now", NOON]);
    expect(JSON.parse(alone.stdout).verdict).toBe("blocked");

    const run = await runCli(["runtime-repair-check", "--latest-in", evidenceDir, "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data") } });
    const verdict = JSON.parse(run.stdout);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons[0].message).toMatch(/a-0955\.bundle\.yaml` is dated .*, after this host's clock .*; fix the clock of the host that wrote it/);
    expect(run.code).toBe(20);
  });

  it("judges a bundle dated a moment ahead (file systems and hosts differ by a little)", async () => {
    const path = join(evidenceDir, "diagnostics.bundle.yaml");
    await writeFile(path, await readFile(EXAMPLE, "utf8"));
    const ahead = new Date(Date.now() + 3_500);
    await utimes(path, ahead, ahead);
    const run = await runCli(["runtime-repair-check", "--latest-in", evidenceDir, "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data") } });
    expect(JSON.parse(run.stdout).reasons.map((r: { code: string }) => r.code)).not.toContain("bundle_unreadable");
  });
});
