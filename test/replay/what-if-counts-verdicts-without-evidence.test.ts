import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { verdictDraft } from "../../src/receipts/drafts.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-whatif-noevidence-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("a what-if over a log holding a verdict recorded without its evidence", () => {
  it("counts that verdict as not replayed, so a clean result does not claim to cover it", async () => {
    const verdict = JSON.parse((await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--now", "2026-11-21T12:00:00Z"])).stdout);
    await (await ReceiptLog.open(dataDir)).append(verdictDraft(verdict, { actor: "piotr" }));
    const { whatIf, report } = await runWhatIf(dataDir, { path: "policies/iskra-openclaw.v0.toml", ref: "a".repeat(40), bytes: await readFile(SHIPPED_POLICY_PATH) }, null, await readPolicy());
    expect(report).toMatchObject({ without_evidence: 1, replayed: 0, unreplayable: [] });
    expect(whatIf).toMatchObject({ replayed: 0, not_replayed: 1, through_seq: 1, problems: [] });
  });
});
