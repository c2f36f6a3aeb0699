import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { PullRequestJob, PushJob } from "../../src/forgejo/jobs.js";
import { statusContextFor } from "../../src/forgejo/push-origin.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";

const AFTER = "d".repeat(40);
const DIR = "evidence/runs/green";
const AT = `o/r@${AFTER.slice(0, 12)}`;
const CUT_SHORT = '{"schema": "openclaw.safe_update.runtime_truth.v1", "generated_at": ';
const options = { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 };

// docs/operations/forgejo-setup.md §5: "a changed artifact brings in the `evidence-bundle.json` beside it".
describe("a push that changes one artifact of a safe-update run, and that artifact is broken", () => {
  // 64 KiB: the read limit the oversized artifact passes.
  const forgejo = useFakeForgejo(64 * 1024);

  async function runAtHead(replace: Record<string, string | null>): Promise<void> {
    const folder = fixture("openclaw-runs/green");
    for (const name of await readdir(folder)) {
      const bytes = name in replace ? replace[name] : await readFile(`${folder}/${name}`);
      if (bytes !== null && bytes !== undefined) forgejo.fake.file("o/r", AFTER, `${DIR}/${name}`, bytes);
    }
  }
  const push = (files: string[]): PushJob => ({ trigger: "push", repo: "o/r", ref: "refs/heads/main", before: "e".repeat(40), after: AFTER, sender: "iskra-bot", files, policyFiles: [], truncated: false });

  it("cut short (unparseable): the run's evidence-bundle.json is judged under its own status context, and blocked by it", async () => {
    await runAtHead({ "runtime-truth.json": CUT_SHORT });
    const units = await fetchEvidence(forgejo.reader(), push([`${DIR}/runtime-truth.json`]), options);
    expect(units.map((u) => u.snapshot.origin)).toEqual([`${AT}:${DIR}/evidence-bundle.json`]);
    expect(statusContextFor(units[0]!.snapshot.origin)).toBe(`patchwarden/gate: ${DIR}/evidence-bundle.json`);
    const input = snapshotToInput(units[0]!.snapshot);
    expect(input.bundle).not.toBeNull();
    expect(input.findings).toContainEqual(expect.objectContaining({ path: "runtime-truth.json", message: expect.stringContaining("malformed JSON") }));
  });

  it("over the read limit: the same, its artifact read refused, not the bundle", async () => {
    await runAtHead({ "runtime-truth.json": JSON.stringify({ schema: "openclaw.safe_update.runtime_truth.v1", pad: "x".repeat(70 * 1024) }) });
    const units = await fetchEvidence(forgejo.reader(), push([`${DIR}/runtime-truth.json`]), options);
    expect(units.map((u) => u.snapshot.origin)).toEqual([`${AT}:${DIR}/evidence-bundle.json`]);
    expect(units[0]!.snapshot.artifacts.get("runtime-truth.json")).toMatchObject({ ok: false, problem: expect.stringContaining("over the 64 KiB limit") });
  });

  it("in a pull request: the same", async () => {
    await runAtHead({ "runtime-truth.json": CUT_SHORT });
    forgejo.fake.issue("o/r", 5, { isPull: true, pullFiles: [{ filename: `${DIR}/runtime-truth.json`, status: "modified" }] });
    const pull: PullRequestJob = { trigger: "pull_request", repo: "o/r", number: 5, headSha: AFTER, sender: "iskra-bot" };
    expect((await fetchEvidence(forgejo.reader(), pull, options)).map((u) => u.snapshot.origin)).toEqual([`${AT}:${DIR}/evidence-bundle.json`]);
  });

  it("with no evidence-bundle.json beside it: blocked on its own, said to be a broken file that is no bundle (not a malformed bundle)", async () => {
    await runAtHead({ "runtime-truth.json": CUT_SHORT, "evidence-bundle.json": null });
    const units = await fetchEvidence(forgejo.reader(), push([`${DIR}/runtime-truth.json`]), options);
    expect(units.map((u) => u.snapshot.origin)).toEqual([`${AT}:${DIR}/runtime-truth.json`]);
    const [finding, ...rest] = snapshotToInput(units[0]!.snapshot).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: "bundle_unreadable", path: "bundle" });
    expect(finding!.message).toMatch(new RegExp(`^\`${AT}:${DIR}/runtime-truth\\.json\`: a changed evidence file that cannot be parsed \\(runtime-truth\\.json: malformed JSON`));
    expect(finding!.message).toContain("it is not a bundle, and there is no `evidence-bundle.json` beside it");
  });

  it("over the read limit with no evidence-bundle.json beside it: blocked on its own as `bundle_too_large`", async () => {
    await runAtHead({ "runtime-truth.json": "x".repeat(70 * 1024), "evidence-bundle.json": null });
    const units = await fetchEvidence(forgejo.reader(), push([`${DIR}/runtime-truth.json`]), options);
    expect(units.map((u) => [u.snapshot.origin, snapshotToInput(u.snapshot).findings.map((f) => f.code)])).toEqual([[`${AT}:${DIR}/runtime-truth.json`, ["bundle_too_large"]]]);
    expect(units[0]!.snapshot.problem).toContain("a changed evidence file that cannot be read (");
  });

  it("a readable file that is no bundle, with none beside it, belongs to no bundle and gets no proposal", async () => {
    forgejo.fake.file("o/r", AFTER, "evidence/notes/summary.json", '{"note": "not evidence of a run"}');
    expect(await fetchEvidence(forgejo.reader(), push(["evidence/notes/summary.json"]), options)).toEqual([]);
  });

  it("a file named like a bundle that cannot be read still stands as a bundle, blocked", async () => {
    forgejo.fake.file("o/r", AFTER, "evidence/cut.bundle.json", CUT_SHORT);
    const units = await fetchEvidence(forgejo.reader(), push(["evidence/cut.bundle.json", "evidence/gone.bundle.json"]), options);
    expect(units.map((u) => [u.snapshot.origin, snapshotToInput(u.snapshot).findings.map((f) => f.code)])).toEqual([
      [`${AT}:evidence/cut.bundle.json`, ["bundle_malformed"]],
      [`${AT}:evidence/gone.bundle.json`, ["bundle_unreadable"]],
    ]);
  });

  it("both the broken artifact and its bundle changed: the bundle is judged once", async () => {
    await runAtHead({ "runtime-truth.json": CUT_SHORT });
    const units = await fetchEvidence(forgejo.reader(), push([`${DIR}/evidence-bundle.json`, `${DIR}/runtime-truth.json`]), options);
    expect(units.map((u) => u.snapshot.origin)).toEqual([`${AT}:${DIR}/evidence-bundle.json`]);
  });
});
