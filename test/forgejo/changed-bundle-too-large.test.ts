import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { fetchEvidence, type EvidenceUnit } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob, PullRequestJob, PushJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

const AFTER = "a".repeat(40);
const BIG = JSON.stringify({ schema: "patchwarden.evidence_bundle.v1", pad: "x".repeat(8000) });
const options = { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 };
const push: PushJob = { trigger: "push", repo: "o/r", ref: "refs/heads/main", before: "b".repeat(40), after: AFTER, sender: "root", files: ["evidence/big.bundle.json"], policyFiles: [], truncated: false };
const codes = (units: EvidenceUnit[]) => units.map((u) => snapshotToInput(u.snapshot).findings.map((f) => f.code));

// docs/policy-reference.md: `bundle_too_large` is "the bundle or an artifact is over the size limit",
// as an attached bundle and a local one are reported; a pushed one was `bundle_unreadable`.
describe("a changed bundle over the size limit", () => {
  // The reader's cap is the bundle limit (start-server: maxBytes = DEFAULT_LIMITS.maxBundleBytes); 4 KiB here.
  const forgejo = useFakeForgejo(4096);

  it("pushed: is blocked as `bundle_too_large`, saying the limit", async () => {
    forgejo.fake.file("o/r", AFTER, "evidence/big.bundle.json", BIG);
    const units = await fetchEvidence(forgejo.reader(), push, options);
    expect(codes(units)).toEqual([["bundle_too_large"]]);
    expect(units[0]!.snapshot.problem).toMatch(/^cannot read `o\/r@aaaaaaaaaaaa:evidence\/big\.bundle\.json`: .*over the 4 KiB limit/);
  });

  it("in a pull request: the same", async () => {
    forgejo.fake.issue("o/r", 3, { isPull: true, pullFiles: [{ filename: "evidence/big.bundle.json", status: "added" }] });
    forgejo.fake.file("o/r", AFTER, "evidence/big.bundle.json", BIG);
    const pull: PullRequestJob = { trigger: "pull_request", repo: "o/r", number: 3, headSha: AFTER, sender: "root" };
    expect(codes(await fetchEvidence(forgejo.reader(), pull, options))).toEqual([["bundle_too_large"]]);
  });

  it("committed in a pull request a label asks about: the same", async () => {
    forgejo.fake.issue("o/r", 3, { isPull: true, pullFiles: [{ filename: "evidence/big.bundle.json", status: "added" }] });
    forgejo.fake.file("o/r", AFTER, "evidence/big.bundle.json", BIG);
    const label: IssueJob = { trigger: "label", repo: "o/r", number: 3, isPull: true, sender: "root", headSha: AFTER };
    expect(codes(await fetchEvidence(forgejo.reader(), label, options))).toEqual([["bundle_too_large"]]);
  });

  it("one Forgejo fails to give for another reason is still `bundle_unreadable`", async () => {
    forgejo.fake.failure = 500;
    expect(codes(await fetchEvidence(forgejo.reader(), push, options))).toEqual([["bundle_unreadable"]]);
  });
});
