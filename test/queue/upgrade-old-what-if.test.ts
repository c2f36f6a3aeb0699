// Upgrade from release 719236a: a data folder written by that release (fixtures/upgrade/release-719236a-what-if,
// made with the old build: one `runtime-repair-check --receipt`, then a policy what-if queued as its
// server does; its evidence snapshot left out, as the refusal comes before any replay) is approved with this release. install.md says such a what-if "cannot be approved:
// its what_if.proposed receipt does not pin the post, so approval refuses it; push the policy again".
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const OLD = fixture("upgrade/release-719236a-what-if");
const ID = "p_0e389c12fa30ed8bce32";
const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-upgrade-"));
  await cp(OLD, dir, { recursive: true });
  fake.writesAllowed = true;
  fake.statuses.clear();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dir, PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token", PATCHWARDEN_FORGEJO_URL: FORGEJO_ORIGIN });

describe("a what-if queued by the previous release, approved after the upgrade", () => {
  it("is refused for the reason install.md gives (its receipt does not pin the post), not as a changed replay result with equal counts", async () => {
    // The folder itself is sound under the new release.
    expect((await runCli(["receipts", "verify", "--data-dir", dir])).code).toBe(0);
    const run = await runCli(["queue", "approve", ID, "--actor", "piotr"], { env: env(), now: Date.parse("2026-11-22T01:00:00Z") });
    expect(run.code).toBe(1);
    expect([...fake.statuses.values()].flat()).toEqual([]);
    // Not "replaying the policy again … gives another result (0 looser, …; it was 0, 0, 0)": the counts are
    // equal and the running policy did not change; only the release did.
    expect(run.stderr).toBe(
      `patchwarden: proposal \`${ID}\` no longer holds: it was written by an older release, before a what-if compared the candidate with the running policy, and its receipt does not pin what it would post. Nothing was posted; push the policy again for a new what-if (or reject this proposal)\n`,
    );
  });
});
