import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approveAsOperator, rejectAsOperator } from "../../src/queue/operator-actions.js";
import type { Proposal } from "../../src/queue/proposal.js";
import { QueueDataError } from "../../src/queue/queue-data-error.js";
import { runCli } from "../helpers/run-cli.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();
const proposalFile = (id: string) => join(q.dir, "queue", "proposals", `${id}.json`);

describe("a missing evidence snapshot at approval", () => {
  it("queue approve names the file and what to do, posts nothing, records nothing, and exits 1", async () => {
    const proposal = await q.propose();
    await rm(join(q.dir, "evidence"), { recursive: true, force: true });
    const run = await runCli(["queue", "approve", proposal.id, "--actor", "piotr"], { env: q.env(), now: EXAMPLE_TIME + 60_000 });
    const path = join(q.dir, "evidence", proposal.evidence_ref.slice(0, 2), `${proposal.evidence_ref}.json`);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `patchwarden: ${path}: missing, so the proposal's evidence cannot be judged again (was the data folder restored without \`evidence/\`?); reject the proposal and ask for a new gate check\n`,
    });
    expect(q.fake.posted).toEqual([]);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed"]);
  });

  it("the error is a QueueDataError naming the file", async () => {
    const proposal = await q.propose();
    await rm(join(q.dir, "evidence"), { recursive: true, force: true });
    const error = await approveAsOperator(proposal.id, await q.operatorDeps()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueDataError);
    expect((error as QueueDataError).path).toBe(join(q.dir, "evidence", proposal.evidence_ref.slice(0, 2), `${proposal.evidence_ref}.json`));
  });
});

describe("an evidence snapshot changed on disk", () => {
  const snapshotFile = (ref: string) => join(q.dir, "evidence", ref.slice(0, 2), `${ref}.json`);

  it("is written again by the new gate check its error asks for, so the new proposal can be approved", async () => {
    const first = await q.propose();
    const path = snapshotFile(first.evidence_ref);
    const kept = await readFile(path, "utf8");
    await writeFile(path, kept.replace('"origin":"', '"origin":"x'));
    await expect(approveAsOperator(first.id, await q.operatorDeps())).rejects.toThrow(/does not hash to its name; .*reject the proposal and ask for a new gate check/);
    // The operator does as it says.
    expect(await rejectAsOperator(first.id, { store: q.store, log: q.log, locks: q.locks, now: EXAMPLE_TIME + 60_000, actor: "piotr", reason: "damaged evidence" })).toEqual({ ok: true });
    const second = await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 120_000 });
    expect(second.evidence_ref).toBe(first.evidence_ref);
    expect(await readFile(path, "utf8")).toBe(kept);
    expect((await approveAsOperator(second.id, await q.operatorDeps({ now: EXAMPLE_TIME + 180_000 }))).kind).toBe("posted");
  });

  it("one intact is left as it is", async () => {
    const first = await q.propose();
    const before = await stat(snapshotFile(first.evidence_ref));
    await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 120_000 });
    expect((await stat(snapshotFile(first.evidence_ref))).ino).toBe(before.ino);
  });
});

describe("a proposal file that is not valid JSON", () => {
  async function oneDamagedOfTwo(): Promise<{ damaged: Proposal; intact: Proposal }> {
    const damaged = await q.propose();
    const intact = await q.propose({ seed: "d-2", bundle: "openclaw-runs/green" });
    await writeFile(proposalFile(damaged.id), "{ half a file");
    return { damaged, intact };
  }

  it("queue list lists the others, then names the damaged file and what to do, and exits 1", async () => {
    const { damaged, intact } = await oneDamagedOfTwo();
    const run = await runCli(["queue", "list"], { env: q.env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^id\\s+state.*\\n${intact.id}\\s+pending\\s+`));
    expect(run.stdout).not.toContain(damaged.id);
    const [problem, summary, end] = run.stderr.split("\n");
    expect(problem).toMatch(new RegExp(`^patchwarden: ${proposalFile(damaged.id)}: is not valid JSON \\(expected property name .+\\); it was cut short or edited by hand: restore it from a backup, or fix it by hand$`));
    expect([summary, end]).toEqual(["1 proposal file cannot be read; the list above leaves it out", ""]);
  });

  it("queue list --json prints the others as JSON, and the damaged file on stderr", async () => {
    const { damaged, intact } = await oneDamagedOfTwo();
    const run = await runCli(["queue", "list", "--json"], { env: q.env() });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Proposal[]).map((p) => p.id)).toEqual([intact.id]);
    expect(run.stderr).toContain(`${proposalFile(damaged.id)}: is not valid JSON`);
  });

  it("queue show and approve name it too, not `internal error`", async () => {
    const { damaged } = await oneDamagedOfTwo();
    for (const argv of [["queue", "show", damaged.id], ["queue", "approve", damaged.id, "--actor", "piotr"]]) {
      const run = await runCli(argv, { env: q.env() });
      expect(run.code, argv.join(" ")).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^patchwarden: ${proposalFile(damaged.id)}: is not valid JSON`));
      expect(run.stderr).not.toMatch(/internal error|this is a bug/);
    }
  });

  it("a file edited into another shape says which field", async () => {
    const proposal = await q.propose();
    await writeFile(proposalFile(proposal.id), JSON.stringify({ ...proposal, state: "done" }));
    const run = await runCli(["queue", "list"], { env: q.env() });
    expect(run.stderr).toMatch(new RegExp(`^patchwarden: ${proposalFile(proposal.id)}: is not a valid proposal at \`state\` \\(.+\\); it was edited by hand`));
  });

  it("does not keep a newer proposal from being queued", async () => {
    const older = await q.propose();
    await writeFile(proposalFile(older.id), "{ half a file");
    const newer = await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 1000 });
    expect((await q.store.require(newer.id)).state).toBe("pending");
    expect((await q.store.scan()).damaged.map((error) => error.path)).toEqual([proposalFile(older.id)]);
  });
});
