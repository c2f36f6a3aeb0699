import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { bundleOf, item } from "../helpers/bundles.js";

const REPO = "o/r";
const options = { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 2 };
const job: IssueJob = { trigger: "label", repo: REPO, number: 9, isPull: false, sender: "root" };
const forgejo = useFakeForgejo();

const bundleNaming = (artifact: string) => JSON.stringify(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { artifact, sha256: "0".repeat(64) })]));
const downloaded = () => forgejo.fake.requests.filter((r) => r.path.startsWith("/attachments/")).map((r) => r.path.slice("/attachments/".length));

// A commenter could otherwise make one delivery download and hold every attached bundle on up to
// 200 comments, and up to 64 MiB of artifacts for each, before the cut to maxBundles.
describe("attached bundles past maxBundles are neither kept nor have their artifacts read", () => {
  it("reads the artifacts of the judged bundles only, and does not download bundle-named attachments past the limit", async () => {
    const issue = forgejo.fake.issue(REPO, 9, {});
    const bundles: string[] = [];
    const artifacts: string[] = [];
    for (let i = 0; i < 6; i++) {
      bundles.push(forgejo.fake.attach(issue, `b${i}.bundle.json`, bundleNaming(`big-${i}.bin`)).uuid);
      artifacts.push(forgejo.fake.attach(issue, `big-${i}.bin`, "x".repeat(1024)).uuid);
    }
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units.map((u) => u.snapshot.name)).toEqual(["b0.bundle.json", "b1.bundle.json", "bundles-not-judged"]);
    expect(units[2]!.snapshot).toMatchObject({
      bundle: null,
      problem: "`b2.bundle.json`, `b3.bundle.json`, `b4.bundle.json`, `b5.bundle.json`: not judged; o/r#9 holds 6 evidence bundles and at most 2 are judged per delivery; spread them over several issues or pull requests, at most 2 each, and ask on each",
    });
    expect(downloaded().filter((uuid) => artifacts.includes(uuid))).toEqual(artifacts.slice(0, 2));
    expect(downloaded().filter((uuid) => bundles.includes(uuid))).toEqual(bundles.slice(0, 2));
    expect(units[0]!.snapshot.artifacts.get("big-0.bin")).toMatchObject({ ok: true });
  });

  it("still downloads a document past the limit that only its schema makes a bundle, to count it, but reads none of its artifacts", async () => {
    const issue = forgejo.fake.issue(REPO, 9, {});
    const comment = forgejo.fake.comment(issue, "root", "more runs");
    for (let i = 0; i < 2; i++) forgejo.fake.attach(issue, `b${i}.bundle.json`, bundleNaming("none.bin"));
    const schemaOnly = forgejo.fake.attach(comment, "run.json", bundleNaming("big.bin")).uuid;
    const notABundle = forgejo.fake.attach(comment, "other.json", "{}").uuid;
    const artifact = forgejo.fake.attach(comment, "big.bin", "x".repeat(1024)).uuid;
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units.map((u) => u.snapshot.name)).toEqual(["b0.bundle.json", "b1.bundle.json", "bundles-not-judged"]);
    expect(units[2]!.snapshot.problem).toBe("`run.json`: not judged; o/r#9 holds 3 evidence bundles and at most 2 are judged per delivery; spread them over several issues or pull requests, at most 2 each, and ask on each");
    expect(downloaded()).toEqual(expect.arrayContaining([schemaOnly, notABundle]));
    expect(downloaded()).not.toContain(artifact);
  });

  it("gives fenced bundles past the limit only their names", async () => {
    const issue = forgejo.fake.issue(REPO, 9, { body: "```patchwarden-bundle\n{}\n```\n" });
    for (let i = 0; i < 2; i++) forgejo.fake.attach(issue, `b${i}.bundle.json`, "{}");
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units.map((u) => u.snapshot.name)).toEqual(["b0.bundle.json", "b1.bundle.json", "bundles-not-judged"]);
    expect(units[2]!.snapshot.problem).toMatch(/^`issue-body-fenced-1\.json`: not judged; o\/r#9 holds 3 evidence bundles/);
  });
});
