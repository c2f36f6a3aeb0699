import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { recordedWithoutEvidence } from "./recorded-verdicts.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-whatif-noevidence-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("a what-if over a log holding a verdict recorded without its evidence", () => {
  it("counts that verdict as not replayed, so a clean result does not claim to cover it", async () => {
    await recordedWithoutEvidence(dataDir);
    const { whatIf, report } = await runWhatIf(dataDir, { path: "policies/iskra-openclaw.v0.toml", ref: "a".repeat(40), bytes: await readFile(SHIPPED_POLICY_PATH) }, null, await readPolicy());
    expect(report).toMatchObject({ without_evidence: 1, replayed: 0, unreplayable: [] });
    expect(whatIf).toMatchObject({ replayed: 0, not_replayed: 1, through_seq: 1, problems: [] });
  });
});
