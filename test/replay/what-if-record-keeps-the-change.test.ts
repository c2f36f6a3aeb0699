import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { resultDigest, runWhatIf } from "../../src/replay/what-if.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "pw-whatif-record-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const PATH = "policies/iskra-openclaw.v0.toml";
const REF = "0123456789abcdef".padEnd(40, "0");
const change = (text: string) => ({ path: PATH, ref: REF, bytes: Buffer.from(text, "utf8") });

describe("the what-if record of a policy change", () => {
  it("of a valid candidate names the file, the commit it was read at and the text as pushed", async () => {
    const text = await readFile(SHIPPED_POLICY_PATH, "utf8");
    const { whatIf } = await runWhatIf(dataDir, change(text), null, await readPolicy());
    expect(whatIf).toMatchObject({ path: PATH, ref: REF, policy_toml: text, problems: [] });
  });

  it("of an invalid candidate keeps the text as pushed, so the reviewer sees what failed", async () => {
    const text = 'schema = "patchwarden.policy.v0"\nname = [unclosed\n';
    const { whatIf, report } = await runWhatIf(dataDir, change(text), null, await readPolicy());
    expect(report).toBeNull();
    expect(whatIf.policy_digest).toBeNull();
    expect(whatIf.problems.length).toBeGreaterThan(0);
    expect(whatIf).toMatchObject({ path: PATH, ref: REF, policy_toml: text });
  });

  it("of an invalid candidate has a result digest that follows its problems", async () => {
    const running = await readPolicy();
    const broken = await runWhatIf(dataDir, change("name = [unclosed\n"), null, running);
    const again = await runWhatIf(dataDir, change("name = [unclosed\n"), null, running);
    const other = await runWhatIf(dataDir, change('schema = "patchwarden.policy.v0"\n'), null, running);
    expect(broken.whatIf.problems).not.toEqual(other.whatIf.problems);
    expect(again.whatIf.result_digest).toBe(broken.whatIf.result_digest);
    expect(other.whatIf.result_digest).not.toBe(broken.whatIf.result_digest);
  });

  it("has a result digest that does not depend on the --since window the report names", async () => {
    const text = await readFile(SHIPPED_POLICY_PATH, "utf8");
    const { whatIf, report } = await runWhatIf(dataDir, change(text), null, await readPolicy());
    expect(report).not.toBeNull();
    expect(resultDigest({ ...report!, since: "2026-11-01T00:00:00Z" })).toBe(whatIf.result_digest);
    expect(resultDigest({ ...report!, replayed: report!.replayed + 1 })).not.toBe(whatIf.result_digest);
  });
});
