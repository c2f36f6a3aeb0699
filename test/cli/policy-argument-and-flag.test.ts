import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";

const dir = mkdtempSync(join(tmpdir(), "policy-argument-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Neither may win quietly: a CI step naming its candidate with --policy beside the shipped path
// would pass on the shipped policy while the candidate is invalid.
describe("`policy validate PATH --policy OTHER`", () => {
  it("is a usage error, whichever of the two is valid", async () => {
    const candidate = join(dir, "candidate.toml");
    writeFileSync(candidate, readFileSync(SHIPPED_POLICY_PATH, "utf8").replace('max_age = "30m"', 'max_age = "31d"'));
    for (const argv of [
      ["policy", "validate", SHIPPED_POLICY_PATH, "--policy", candidate],
      ["policy", "validate", candidate, "--policy", SHIPPED_POLICY_PATH],
      ["policy", "validate", SHIPPED_POLICY_PATH, "--policy", SHIPPED_POLICY_PATH],
    ]) {
      const run = await runCli(argv);
      expect(run, argv.join(" ")).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).toContain("--policy: given with a policy argument too; give the policy one way, not both");
    }
  });

  it("either one alone still works", async () => {
    expect(await runCli(["policy", "validate", SHIPPED_POLICY_PATH])).toMatchObject({ code: 0, stdout: expect.stringContaining("valid policy") });
    expect(await runCli(["policy", "validate", "--policy", SHIPPED_POLICY_PATH])).toMatchObject({ code: 0, stdout: expect.stringContaining("valid policy") });
  });
});
