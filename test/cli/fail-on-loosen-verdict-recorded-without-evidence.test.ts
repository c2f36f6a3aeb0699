import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { recordedWithoutEvidence } from "../replay/recorded-verdicts.js";

// A verdict receipt with no evidence_ref (recorded before the bytes were kept) cannot be judged
// again: `replay --fail-on-loosen` must not pass the CI check as if it had been.

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-noevidence-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("replay --fail-on-loosen over a verdict recorded without its evidence", () => {
  it("exits 1 naming the verdict it could not replay, after printing the report", async () => {
    await recordedWithoutEvidence(dataDir);

    const report = await runCli(["replay", "--json"], { env: { PATCHWARDEN_DATA_DIR: dataDir } });
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ without_evidence: 1, unreplayable: [] });

    const strict = await runCli(["replay", "--fail-on-loosen"], { env: { PATCHWARDEN_DATA_DIR: dataDir } });
    expect(strict.code).toBe(1);
    expect(strict.stdout).not.toBe("");
    expect(strict.stderr).toContain("1 past verdict(s) could not be replayed, so the replay cannot show that nothing loosens");
  });
});
