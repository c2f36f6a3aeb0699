import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { runWhatIf } from "../../src/replay/what-if.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "pw-whatif-unreadable-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe("a policy change marked unreadable", () => {
  it("is never replayed, even when bytes that would parse came with it: the what-if reports why it could not be read", async () => {
    const bytes = await readFile(SHIPPED_POLICY_PATH);
    const why = "`policies/gate.toml` at `0123456789ab`: Forgejo could not give it (HTTP 500); push again";
    const { whatIf, report } = await runWhatIf(dataDir, { path: "policies/gate.toml", ref: "0123456789ab".padEnd(40, "0"), bytes, unreadable: why }, null, await readPolicy());
    expect(report).toBeNull();
    expect(whatIf).toMatchObject({ policy_digest: null, problems: [why], replayed: 0, through_seq: 0 });
  });
});
