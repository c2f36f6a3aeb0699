import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { composeWhatIfProposal } from "../../src/queue/compose-what-if.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { proposeVerdict } from "../../src/queue/propose-verdict.js";
import type { Proposal } from "../../src/queue/proposal.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

let dir: string;
let proposal: Proposal;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-queue-cli-"));
  proposal = await proposeVerdict(await readEvidenceSnapshot(fixture("openclaw-runs/green")), { repo: "root/example-push", kind: "issue", number: 3 }, { trigger: "label", delivery: { id: "d-9", event: "issues" }, idSeed: "d-9" }, {
    evidence: new EvidenceStore(dir),
    proposals: new ProposalStore(dir),
    policy: await readPolicy(),
    now: Date.parse("2026-11-21T05:00:00Z"),
    actor: "patchwarden",
    outputs: new Set(["queue"]),
    printLine: () => {},
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dir });

describe("patchwarden queue", () => {
  it("list shows the pending proposal with its verdict and target", async () => {
    const run = await runCli(["queue", "list"], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^id\s+state\s+outcome\s+target\s+created\s+from$/);
    expect(run.stdout).toMatch(new RegExp(`${proposal.id}\\s+pending\\s+needs_human\\s+root/example-push#3`));
    const json = JSON.parse((await runCli(["queue", "list", "--json"], { env: env() })).stdout) as Proposal[];
    expect(json.map((p) => p.id)).toEqual([proposal.id]);
    expect((await runCli(["queue", "list", "--state", "posted"], { env: env() })).stdout).toBe("no posted proposals\n");
  });

  it("show prints the verdict, reasons and the comment exactly as it would be posted", async () => {
    const run = await runCli(["queue", "show", proposal.id, "--data-dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`proposal ${proposal.id} — pending`);
    expect(run.stdout).toContain("verdict: needs_human");
    expect(run.stdout).toContain((proposal.post as { body: string }).body);
    expect(JSON.parse((await runCli(["queue", "show", proposal.id, "--json"], { env: env() })).stdout)).toEqual(proposal);
  });

  it("reject needs a reason and an actor, records who and why in the proposal and a receipt, and refuses a second time", async () => {
    expect((await runCli(["queue", "reject", proposal.id], { env: env() })).stderr).toMatch(/--reason: missing/);
    const run = await runCli(["queue", "reject", proposal.id, "--reason", "evidence from the wrong host", "--actor", "piotr"], { env: env() });
    expect(run).toMatchObject({ code: 0, stdout: `rejected ${proposal.id}\n` });
    const stored = await new ProposalStore(dir).require(proposal.id);
    expect(stored.history.at(-1)).toMatchObject({ state: "rejected", actor: "piotr", reason: "evidence from the wrong host" });
    const again = await runCli(["queue", "reject", proposal.id, "--reason", "x", "--actor", "piotr"], { env: env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is rejected; only a pending proposal can be rejected/);
    const { receiptsOfProposal } = await import("../../src/receipts/proposal-receipts.js");
    const receipts = await receiptsOfProposal(join(dir, "receipts", "receipts.jsonl"), proposal.id);
    expect(receipts.map((r) => [r.kind, r.actor, r.reason])).toEqual([["proposal.rejected", "piotr", "evidence from the wrong host"]]);
    expect((await runCli(["receipts", "verify", "--data-dir", dir])).code).toBe(0);
  });

  it("approve refuses to run without the write token, which only it needs", async () => {
    const run = await runCli(["queue", "approve", proposal.id], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PATCHWARDEN_FORGEJO_WRITE_TOKEN: missing/);
  });

  it("reject refuses an all-whitespace reason, and one longer than a receipt keeps, rejecting nothing", async () => {
    const blank = await runCli(["queue", "reject", proposal.id, "--reason", "   ", "--actor", "piotr"], { env: env() });
    expect(blank).toMatchObject({ code: 2, stderr: expect.stringContaining('--reason: missing or blank; say why, e.g. `--reason "evidence is from the wrong host"`') });
    const long = await runCli(["queue", "reject", proposal.id, "--reason", "x".repeat(2001), "--actor", "piotr"], { env: env() });
    expect(long).toMatchObject({ code: 2, stderr: expect.stringContaining("--reason: 2001 characters; keep it under 2000") });
    expect((await new ProposalStore(dir).require(proposal.id)).state).toBe("pending");
    const trimmed = await runCli(["queue", "reject", proposal.id, "--reason", "  wrong host  ", "--actor", "piotr"], { env: env() });
    expect(trimmed.code).toBe(0);
    expect((await new ProposalStore(dir).require(proposal.id)).history.at(-1)).toMatchObject({ state: "rejected", reason: "wrong host" });
  });

  it("list on a data folder that is not there names it and exits 2, rather than say the queue is empty", async () => {
    const typo = join(dir, "no-such-data");
    const run = await runCli(["queue", "list", "--data-dir", typo]);
    expect(run).toEqual({ code: 2, stdout: "", stderr: `patchwarden: --data-dir: \`${typo}\`: no such folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n` });
    expect((await runCli(["queue", "list"], { env: { PATCHWARDEN_DATA_DIR: typo } })).code).toBe(2);
  });

  it("show and list write out the control characters of names from Forgejo, so none can hide what would be posted", async () => {
    // SGR 8 conceals everything printed after it; an attachment's or a policy file's name can hold it.
    const store = new ProposalStore(dir);
    const attached = { ...proposal, id: "p_00000000000000000aaa", origin: "root/example-push#3: evil\u001b[8m.bundle.json" };
    await store.propose(attached, "patchwarden", proposal.created_at);
    const result = await runWhatIf(dir, { path: "policies/a\u001b[8m\u202e.toml", ref: "b".repeat(40), bytes: Buffer.from("not toml [") }, null, await readPolicy());
    const whatIf = composeWhatIfProposal({ result, target: { repo: "root/example-push", kind: "pull", number: 4 }, trigger: "pull_request", delivery: null, now: "2026-11-21T12:00:00.000Z", actor: "patchwarden" }, "p_00000000000000000bbb");
    await store.propose(whatIf, "patchwarden", whatIf.created_at);
    const shown = await runCli(["queue", "show", attached.id], { env: env() });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("evidence: root/example-push#3: evil\\x1b[8m.bundle.json\n");
    const shownWhatIf = await runCli(["queue", "show", whatIf.id], { env: env() });
    expect(shownWhatIf.stdout).toContain("policy what-if: policies/a\\x1b[8m\\u202e.toml at ");
    const list = await runCli(["queue", "list"], { env: env() });
    for (const run of [shown, shownWhatIf, list]) expect(run.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(list.stdout).toContain("root/example-push@bbbbbbbbbbbb:policies/a\\x1b[8m\\u202e.toml");
  });

  it("list and show say a what-if is looser when only its settings are (no past verdict shows it)", async () => {
    const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
    const bytes = Buffer.from(shipped.replace('[evidence.autoheal-dashboard]\nmax_age = "30m"', '[evidence.autoheal-dashboard]\nmax_age = "2h"'));
    const result = await runWhatIf(dir, { path: "policies/iskra-openclaw.v0.toml", ref: "c".repeat(40), bytes }, null, await readPolicy());
    const whatIf = composeWhatIfProposal({ result, target: { repo: "root/example-push", kind: "commit", sha: "c".repeat(40) }, trigger: "push", delivery: null, now: "2026-11-21T12:00:00.000Z", actor: "patchwarden" }, "p_00000000000000000ccc");
    await new ProposalStore(dir).propose(whatIf, "patchwarden", whatIf.created_at);
    const list = await runCli(["queue", "list"], { env: env() });
    expect(list.stdout).toMatch(new RegExp(`${whatIf.id}\\s+pending\\s+what-if: 0 looser, 0 stricter; 1 looser setting\\s`));
    const shown = await runCli(["queue", "show", whatIf.id], { env: env() });
    expect(shown.stdout).toContain("replayed 0 past verdicts (receipts 1–0): 0 looser, 0 stricter, 0 not replayed\nsettings: 1 looser than the running policy\n");
  });

  it("an unknown id is a usage error naming what to run", async () => {
    const run = await runCli(["queue", "show", "p_00000000000000000000"], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no proposal `p_00000000000000000000`; `patchwarden queue list` shows the ids/);
  });
});

describe("patchwarden serve", () => {
  it("exits 2 listing every configuration problem", async () => {
    const run = await runCli(["serve"], { env: { PATCHWARDEN_LISTEN: "nowhere", PATCHWARDEN_OUTPUT: "email" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("PATCHWARDEN_LISTEN: `nowhere` is not `host:port`");
    expect(run.stderr).toContain("PATCHWARDEN_OUTPUT: `email` must be `queue`, `stdout` or `queue,stdout`");
  });

  it("starts on defaults, generates a secret into the data folder, and stops on the stop signal", async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: dir, PATCHWARDEN_LISTEN: "127.0.0.1:0" }, untilStopped: () => stopped });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop();
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/"event":"server.started"/);
    expect(run.stderr).toMatch(/Generated a webhook secret/);
    expect(run.stderr).toMatch(/"event":"config.no_repositories"/);
    expect(run.stderr).not.toMatch(/[0-9a-f]{64}/); // not a TTY: the secret itself is never printed into logs
  });
});
