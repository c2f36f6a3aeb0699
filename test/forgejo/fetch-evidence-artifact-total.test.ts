import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type ArtifactBytes } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob, PushJob } from "../../src/forgejo/jobs.js";
import { bundleOf, item } from "../helpers/bundles.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

const REPO = "o/r";
const HEAD = "a".repeat(40);
const KIB = 1024;
// A small total, so that a few artifacts of 400 KiB pass it.
const options = { evidenceGlobs: ["evidence/**"], limits: { ...DEFAULT_LIMITS, maxTotalArtifactBytes: 1024 * KIB }, maxBundles: 20 };
const OVER_TOTAL = "the bundle's artifacts exceed 1 MiB in total, the gate's limit; split the evidence over several bundles";
const NAMES = ["a0.log", "a1.log", "a2.log", "a3.log", "a4.log"];
const bundle = JSON.stringify(bundleOf("runtime_diagnostics", NAMES.map((artifact, i) => item("incident-packet", { artifact, sha256: "0".repeat(64), subject: `s${i}` }))));

/** A read as a test compares it: never the bytes themselves. */
const outcome = (read: ArtifactBytes | undefined) => (read === undefined ? "absent" : read.ok ? "read" : read.problem);

const forgejo = useFakeForgejo();

/**
 * Each artifact is capped on its own, but a bundle may name thousands, and tree entries sharing one
 * blob (or as many attachments) cost the sender nothing: every one was fetched and held.
 */
describe("the artifacts of one bundle fetched from Forgejo", () => {
  it("attached: are held up to the total, the rest refused as unread, and no more are downloaded", async () => {
    const issue = forgejo.fake.issue(REPO, 3);
    forgejo.fake.attach(issue, "run.bundle.json", bundle);
    for (const name of NAMES) forgejo.fake.attach(issue, name, Buffer.alloc(400 * KIB, 0x61));
    const job: IssueJob = { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" };

    const [unit, ...rest] = await fetchEvidence(forgejo.reader(), job, options);
    expect(rest).toEqual([]);
    expect(NAMES.map((name) => outcome(unit!.snapshot.artifacts.get(name)))).toEqual(["read", "read", OVER_TOTAL, OVER_TOTAL, OVER_TOTAL]);
    // The bundle, the two artifacts held and the one that passed the total; not a3 or a4.
    expect(forgejo.fake.requests.filter((request) => request.path.startsWith("/attachments/"))).toHaveLength(4);
    expect(forgejo.fake.violations).toEqual([]);
  });

  it("pushed: are held up to the total, the rest refused as unread, and no more are fetched", async () => {
    forgejo.fake.file(REPO, HEAD, "evidence/run.bundle.json", bundle);
    for (const name of NAMES) forgejo.fake.file(REPO, HEAD, `evidence/${name}`, Buffer.alloc(400 * KIB, 0x61));
    const job: PushJob = { trigger: "push", repo: REPO, ref: "refs/heads/main", before: "b".repeat(40), after: HEAD, sender: "root", files: ["evidence/run.bundle.json"], policyFiles: [], truncated: false };

    const [unit, ...rest] = await fetchEvidence(forgejo.reader(), job, options);
    expect(rest).toEqual([]);
    expect(NAMES.map((name) => outcome(unit!.snapshot.artifacts.get(name)))).toEqual(["read", "read", OVER_TOTAL, OVER_TOTAL, OVER_TOTAL]);
    expect(forgejo.fake.requests.filter((request) => /\/media\/evidence\/a\d\.log/.test(request.path)).map((request) => request.path.replace(/\?.*/, ""))).toEqual(["a0", "a1", "a2"].map((name) => `/api/v1/repos/${REPO}/media/evidence/${name}.log`));
    expect(forgejo.fake.violations).toEqual([]);
  });
});
