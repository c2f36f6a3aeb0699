import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob, PullRequestJob, PushJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

const REPO = "o/r";
const HEAD = "a".repeat(40);
const options = { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 };
const names = (n: number) => Array.from({ length: n }, (_, i) => `b${String(i).padStart(2, "0")}.bundle.json`);

const forgejo = useFakeForgejo();

function pullWith(paths: string[]): PullRequestJob {
  forgejo.fake.issue(REPO, 3, { isPull: true, pullFiles: paths.map((filename) => ({ filename, status: "added" })) });
  for (const path of paths) forgejo.fake.file(REPO, HEAD, path, "{}");
  return { trigger: "pull_request", repo: REPO, number: 3, headSha: HEAD, sender: "root" };
}

describe("more bundles than one delivery judges (maxBundles)", () => {
  it("a pull request carrying 21 bundles gets 20 judged and one blocked notice naming the one left", async () => {
    const units = await fetchEvidence(forgejo.reader(), pullWith(names(21).map((n) => `evidence/${n}`)), options);
    expect(units).toHaveLength(21);
    expect(units.slice(0, 20).every((u) => u.snapshot.bundle !== null)).toBe(true);
    expect(units[20]).toEqual({
      target: { repo: REPO, kind: "pull", number: 3 },
      snapshot: {
        origin: `${REPO}@${HEAD.slice(0, 12)}, bundles past the first 20`,
        name: "bundles-not-judged",
        bundle: null,
        problem: "`evidence/b20.bundle.json`: not judged; o/r#3 holds 21 evidence bundles and at most 20 are judged per delivery; split the change so that each holds at most 20",
        artifacts: new Map(),
      },
    });
    expect(forgejo.fake.violations).toEqual([]);
  });

  it("lists at most ten of those left, and counts the rest", async () => {
    const units = await fetchEvidence(forgejo.reader(), pullWith(names(35).map((n) => `evidence/${n}`)), options);
    expect(units).toHaveLength(21);
    expect(units[20]!.snapshot.problem).toMatch(/^`evidence\/b20\.bundle\.json`, .*, `evidence\/b29\.bundle\.json` and 5 more: not judged; o\/r#3 holds 35 evidence bundles/);
  });

  it("gives no place to an evidence-bundle.json that a changed artifact is beside but does not exist", async () => {
    const artifacts = Array.from({ length: 5 }, (_, i) => `evidence/a-run${i}/data.json`);
    const units = await fetchEvidence(forgejo.reader(), pullWith([...artifacts, ...names(20).map((n) => `evidence/${n}`)]), options);
    expect(units).toHaveLength(20);
    expect(units.every((u) => u.snapshot.bundle !== null)).toBe(true);
  });

  it("a push carrying 22 bundles says so on the pushed commit", async () => {
    const paths = names(22).map((n) => `evidence/${n}`);
    for (const path of paths) forgejo.fake.file(REPO, HEAD, path, "{}");
    const job: PushJob = { trigger: "push", repo: REPO, ref: "refs/heads/main", before: "b".repeat(40), after: HEAD, sender: "root", files: paths, policyFiles: [], truncated: false };
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units).toHaveLength(21);
    expect(units[20]).toMatchObject({
      target: { repo: REPO, kind: "commit", sha: HEAD },
      snapshot: { bundle: null, problem: "`evidence/b20.bundle.json`, `evidence/b21.bundle.json`: not judged; push to o/r refs/heads/main holds 22 evidence bundles and at most 20 are judged per delivery; split the change so that each holds at most 20" },
    });
  });

  it("an issue with 22 attached bundles says so on the issue", async () => {
    const issue = forgejo.fake.issue(REPO, 9, { body: "```patchwarden-bundle\n{}\n```\n" });
    for (const name of names(21)) forgejo.fake.attach(issue, name, "{}");
    const job: IssueJob = { trigger: "label", repo: REPO, number: 9, isPull: false, sender: "root" };
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units).toHaveLength(21);
    expect(units[20]).toMatchObject({
      target: { repo: REPO, kind: "issue", number: 9 },
      snapshot: { bundle: null, problem: "`b20.bundle.json`, `issue-body-fenced-1.json`: not judged; o/r#9 holds 22 evidence bundles and at most 20 are judged per delivery; spread them over several issues or pull requests, at most 20 each, and ask on each" },
    });
    expect(forgejo.fake.violations).toEqual([]);
  });

  it("a check on a pull request counts attached and committed bundles together, attached first, and reads none past the limit", async () => {
    const pull = forgejo.fake.issue(REPO, 3, { isPull: true, pullFiles: names(3).map((n) => ({ filename: `evidence/${n}`, status: "added" })) });
    for (const name of names(3)) forgejo.fake.file(REPO, HEAD, `evidence/${name}`, "{}");
    for (const name of ["x1.bundle.json", "x2.bundle.json"]) forgejo.fake.attach(pull, name, "{}");
    const job: IssueJob = { trigger: "command", repo: REPO, number: 3, isPull: true, sender: "root", headSha: HEAD };
    const units = await fetchEvidence(forgejo.reader(), job, { ...options, maxBundles: 3 });
    expect(units.map((u) => u.snapshot.name)).toEqual(["x1.bundle.json", "x2.bundle.json", "b00.bundle.json", "bundles-not-judged"]);
    expect(units[3]!.snapshot.problem).toBe("`evidence/b01.bundle.json`, `evidence/b02.bundle.json`: not judged; o/r#3 holds 5 evidence bundles and at most 3 are judged per delivery; spread them over several issues or pull requests, at most 3 each, and ask on each");
    // Each committed file is read once, to tell whether it is a bundle; none again to judge it.
    expect(forgejo.fake.requests.filter((r) => r.path.includes("/media/")).map((r) => r.path)).toEqual(names(3).map((n) => `/api/v1/repos/${REPO}/media/evidence/${n}?ref=${HEAD}`));
  });
});
