import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence, MAX_SEARCHED_COMMENTS } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

const REPO = "o/r";
const options = { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 };
const job: IssueJob = { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" };
const bundle = JSON.stringify({ schema: "patchwarden.evidence_bundle.v1" });

const forgejo = useFakeForgejo(4 << 20);

describe("an issue with more comments than are searched for attached bundles", () => {
  it("names the older comments that may hold a bundle instead of passing over them in silence", async () => {
    const issue = forgejo.fake.issue(REPO, 3);
    const old = forgejo.fake.comment(issue, "root", "the first run");
    forgejo.fake.attach(old, "old.bundle.json", bundle);
    for (let i = 0; i < MAX_SEARCHED_COMMENTS; i++) forgejo.fake.comment(issue, "root", `comment ${i}`);
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units.map((u) => u.snapshot.name)).toEqual(["comments-not-searched"]);
    expect(units[0]!.snapshot).toMatchObject({
      bundle: null,
      problem: `1 older comment of o/r#3 (${old.id}) may hold an evidence bundle but was not searched: only the newest ${MAX_SEARCHED_COMMENTS} comments are; attach the bundle to a new comment or the description, then ask again`,
    });
  });

  it("says nothing about older comments that carry no document", async () => {
    const issue = forgejo.fake.issue(REPO, 3);
    forgejo.fake.attach(forgejo.fake.comment(issue, "root", "a screenshot"), "screen.png", "png");
    for (let i = 0; i < MAX_SEARCHED_COMMENTS; i++) forgejo.fake.comment(issue, "root", `comment ${i}`);
    forgejo.fake.attach(issue.comments.at(-1)!, "new.bundle.json", bundle);
    const units = await fetchEvidence(forgejo.reader(), job, options);
    expect(units.map((u) => u.snapshot.name)).toEqual(["new.bundle.json"]);
  });
});
