import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";

const REPO = "o/r";
const forgejo = useFakeForgejo();

describe("the command's own comment", () => {
  it("has its attachments read from its assets endpoint, even when the comment list shows it without them", async () => {
    const issue = forgejo.fake.issue(REPO, 4);
    const command = forgejo.fake.comment(issue, "root", "/patchwarden check");
    forgejo.fake.attach(command, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const original = forgejo.fake.handle.bind(forgejo.fake);
    forgejo.fake.handle = async (request) => {
      const response = await original(request);
      if (!new URL(request.url).pathname.endsWith(`/issues/4/comments`)) return response;
      const list = (await response.json()) as Array<{ assets: unknown[] }>;
      return Response.json(list.map((c) => ({ ...c, assets: [] })));
    };
    const job: IssueJob = { trigger: "command", repo: REPO, number: 4, isPull: false, sender: "root", commentId: command.id };
    const units = await fetchEvidence(forgejo.reader(), job, { evidenceGlobs: [], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units).toHaveLength(1);
    expect(units[0]!.snapshot.origin).toBe(`${REPO}#4, comment ${command.id}, attachment runtime-diagnostics.bundle.yaml`);
    expect(units[0]!.snapshot.bundle).not.toBeNull();
  });
});
