import { appendFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The hourly gate meets a YAML bundle Iskra is writing in place: what it has written so far is a
// complete bundle that would be eligible; the item still to come fails. The gate must wait for the
// file to settle (by the real clock) and judge what the writer finished, not the prefix.
const FAILING_ITEM = `  - kind: runtime-truth-report
    subject: openclaw-gateway-canary
    generated_at: "2026-11-21T11:51:00Z"
    status: fail
    summary: the canary instance does not answer
    data: {}
`;

let temp: string;
let evidenceDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-settle-cli-"));
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(join(temp, "data"));
  evidenceDir = join(temp, "evidence");
  await mkdir(evidenceDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("runtime-repair-check --latest-in and a bundle being written", () => {
  it("does not judge the prefix written a moment ago as eligible", async () => {
    const path = join(evidenceDir, "diagnostics.bundle.yaml");
    await writeFile(path, await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const now = new Date();
    await utimes(path, now, now);
    // The writer is slow: a line every 300 ms for 3 s, then the failing item. The gate starts at
    // once, so whatever it reads before the end is a prefix that would be eligible.
    const writer = (async () => {
      for (let i = 0; i < 10; i++) {
        await delay(300);
        await appendFile(path, `# step ${i}\n`);
      }
      await appendFile(path, FAILING_ITEM);
    })();
    const run = await runCli(["runtime-repair-check", "--latest-in", evidenceDir, "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data"), USER: "patchwarden" } });
    await writer;
    const verdict = JSON.parse(run.stdout);
    expect(verdict.verdict).not.toBe("eligible_repair_dry_run");
    expect(verdict.verdict).toBe("blocked");
    expect(run.code).toBe(20);
  });
});
