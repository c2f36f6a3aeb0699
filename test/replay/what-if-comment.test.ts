import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { composeWhatIfProposal } from "../../src/queue/compose-what-if.js";
import type { Rejudged } from "../../src/replay/rejudge.js";
import { headline, renderWhatIfMarkdown } from "../../src/replay/render-replay.js";
import type { ReplayReport } from "../../src/replay/replay-verdicts.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { bundleOf, item } from "../helpers/bundles.js";
import { runCli } from "../helpers/run-cli.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-whatif-comment-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** A gateway_restart verdict recorded at `now`, its evidence kept. */
async function recordRestart(now: string): Promise<void> {
  const bundle = bundleOf("gateway_restart", [item("runtime-truth-report"), item("autoheal-dashboard"), item("incident-packet")], { target: { host: "iskra", service: "openclaw-gateway.service" } });
  await writeFile(join(temp, "restart.json"), JSON.stringify(bundle));
  await runCli(["runtime-repair-check", "--bundle", join(temp, "restart.json"), "--receipt", "--now", now], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
}

/** The shipped policy with gateway_restart made non-mutating: it would loosen every restart verdict. */
async function looserRestart(): Promise<Buffer> {
  const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  const candidate = shipped.replace('mutation = true\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\nhard_manual = ["service_restart"]\n', 'mutation = false\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\n');
  expect(candidate).not.toBe(shipped);
  return Buffer.from(candidate);
}

function row(seq: number): Rejudged {
  return { seq, recorded_at: "2026-11-21T12:00:00.000Z", evaluated_at: "2026-11-21T12:00:00.000Z", repair_class: "gateway_restart", before: "blocked", after: "eligible_repair_dry_run", direction: "loosened", reasons_added: [], reasons_removed: [], held_by_lock: false, engine_changed: false };
}

function report(changed: number, notReplayed: { without_evidence?: number; unreplayable?: number } = {}): ReplayReport {
  const rows = Array.from({ length: changed }, (_, i) => row(i + 1));
  const unreplayable = Array.from({ length: notReplayed.unreplayable ?? 0 }, (_, i) => ({ seq: changed + i + 1, problem: "its evidence abc… cannot be read: it is not in the evidence store" }));
  return { policy: { name: "cand", digest: "sha256:00" }, running: null, policy_loosenings: [], since: null, receipt_log: true, through_seq: changed + unreplayable.length, replayed: changed, unchanged: 0, loosened: changed, tightened: 0, changed: rows, engine_changed: 0, without_evidence: notReplayed.without_evidence ?? 0, unreplayable };
}

describe("the what-if comment of a pull request that adds a policy file with a crafted name", () => {
  // Git allows any byte but NUL and `/` in a file name; the default glob `policies/**/*.toml` matches this one.
  const path = "policies/x` @admin <img src=https://evil.example/p.png> `\n\n### 🟢 Patchwarden policy what-if: nothing loosens\n`.toml";

  it("keeps the name in code spans in the `…and N more` line too: no mention, no markup, no forged heading", () => {
    const body = renderWhatIfMarkdown(report(51), { path, ref: "a".repeat(40) });
    const more = body.split("\n").find((line) => line.startsWith("…and 1 more"))!;
    expect(more).toBeDefined();
    expect(more).not.toMatch(/@admin/);
    expect(more).toContain("@\u200badmin");
    // The name's backticks stay inside a longer fence.
    expect(more).toMatch(/^…and 1 more; ``patchwarden replay --policy policies\/x` @\u200badmin <img src=https:\/\/evil\.example\/p\.png> ` {2}### 🟢 .* `\.toml`` lists them all\.$/);
    expect(body.split("\n").filter((line) => line.startsWith("### "))).toHaveLength(1);
  });
});

describe("the what-if headline speaks only for what was replayed", () => {
  it("with nothing left out, as before", () => {
    expect(headline(report(0))).toBe("no past verdict would change (0 replayed)");
    expect(headline(report(2))).toBe("2 past verdicts would change, 2 looser, 0 stricter (2 replayed)");
  });

  it("with verdicts not replayed, says so, and does not claim no past verdict would change", () => {
    expect(headline(report(0, { without_evidence: 1, unreplayable: 2 }))).toBe("no replayed verdict would change (0 replayed, 3 not replayed)");
    expect(headline(report(1, { unreplayable: 1 }))).toBe("1 past verdict would change, 1 looser, 0 stricter (1 replayed, 1 not replayed)");
  });

  it("in the status description and the comment, when every past verdict's evidence is gone", async () => {
    await recordRestart("2026-11-21T12:00:00Z");
    await recordRestart("2026-11-21T12:05:00Z");
    await rm(join(dataDir, "evidence"), { recursive: true, force: true });
    const result = await runWhatIf(dataDir, { path: "policies/iskra-openclaw.v0.toml", ref: "a".repeat(40), bytes: await looserRestart() }, null, await readPolicy());
    expect(result.whatIf).toMatchObject({ replayed: 0, not_replayed: 2 });
    const facts = { result, trigger: "push" as const, delivery: null, now: "2026-11-21T13:00:00.000Z", actor: "patchwarden" };
    const status = composeWhatIfProposal({ ...facts, target: { repo: "o/r", kind: "commit", sha: "a".repeat(40) } }, "p_00000000000000000001").post;
    const comment = composeWhatIfProposal({ ...facts, target: { repo: "o/r", kind: "pull", number: 4 } }, "p_00000000000000000002").post;
    // gateway_restart made non-mutating, without its hard-manual class: two looser settings, whatever was replayed.
    expect(status).toMatchObject({ kind: "status", state: "pending", description: "2 looser settings; no replayed verdict would change (0 replayed, 2 not replayed) (proposal p_00000000000000000001)" });
    expect(comment.kind === "comment" && comment.body).toContain("### 🟡 Patchwarden policy what-if: 2 looser settings; no replayed verdict would change (0 replayed, 2 not replayed)");
  });
});

describe("a what-if over a damaged snapshot", () => {
  async function damagedSnapshot(): Promise<void> {
    await recordRestart("2026-11-21T12:00:00Z");
    const [shard] = await readdir(join(dataDir, "evidence"));
    const [file] = await readdir(join(dataDir, "evidence", shard!));
    const snapshot = join(dataDir, "evidence", shard!, file!);
    await writeFile(snapshot, (await readFile(snapshot, "utf8")).replace('"origin":"', '"origin":"x'));
  }

  it("says what is wrong with it by its reference, not by the server's path, in the comment too", async () => {
    await damagedSnapshot();
    const result = await runWhatIf(dataDir, { path: "policies/p.toml", ref: "c".repeat(40), bytes: await readFile(SHIPPED_POLICY_PATH) }, null, await readPolicy());
    expect(result.report!.unreplayable).toEqual([{ seq: 1, problem: expect.stringMatching(/^its evidence [0-9a-f]{12}… cannot be read: it does not hash to its name: it was changed after it was stored$/) }]);
    const comment = composeWhatIfProposal({ result, target: { repo: "o/r", kind: "pull", number: 4 }, trigger: "pull_request", delivery: null, now: "2026-11-21T13:00:00.000Z", actor: "patchwarden" }, "p_00000000000000000003").post;
    expect(comment.kind === "comment" && comment.body).not.toContain(temp);
  });

  it("gives the same result digest from the same data folder reached by another path, so approving it again holds", async () => {
    await damagedSnapshot();
    await symlink(dataDir, join(temp, "same-data"));
    const change = { path: "policies/p.toml", ref: "c".repeat(40), bytes: await readFile(SHIPPED_POLICY_PATH) };
    const proposed = await runWhatIf(dataDir, change, null, await readPolicy());
    const again = await runWhatIf(join(temp, "same-data"), change, proposed.whatIf.through_seq, await readPolicy());
    expect(proposed.whatIf.not_replayed).toBe(1);
    expect(again.whatIf.result_digest).toBe(proposed.whatIf.result_digest);
  });
});
