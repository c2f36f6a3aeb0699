import { readFile } from "node:fs/promises";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { changedPaths } from "../../src/forgejo/changed-files-once.js";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { fixture } from "../helpers/paths.js";

const REPO = "Test-CI/multi-line-secrets";
const GLOBS = ["evidence/**/*.json"];
const rules: TriggerRules = { repos: new Set([REPO]), operators: new Set(["root"]), producers: new Set(), gateLabel: "gate/review", evidenceGlobs: GLOBS, policyGlobs: [] };
const headers = { delivery: "d-1", event: "push", eventType: "push", signature: undefined };

async function realMulti(): Promise<Record<string, any>> {
  const p = JSON.parse(await readFile(fixture("forgejo/payloads/real/forgejo-codeberg-HookPushMulti.json"), "utf8")) as Record<string, any>;
  p.sender.login = "root";
  for (const commit of p.commits) Object.assign(commit, { added: [], modified: [], removed: [] });
  return p;
}

describe("a push's webhook listing is matched as the compare listing is", () => {
  it("a file under a dot-folder matches no evidence glob, in the webhook as in the compare API", async () => {
    const dotted = "evidence/.cache/run.bundle.json";
    const p = await realMulti();
    p.commits[0].added = [dotted];
    expect(classifyDelivery(headers, p, rules)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("no added or modified file matches the evidence globs (evidence/**/*.json)") });
    // What the truncated path would find through the compare API for the same file.
    expect(changedPaths([{ filename: dotted, status: "added" } as never], picomatch(GLOBS)).paths).toEqual([]);
  });

  it("commit ids that differ from `after` only in case still name the pushed commit: the listing is complete", async () => {
    const p = await realMulti();
    const [newest, middle, oldest] = p.commits;
    oldest.added = ["evidence/a.bundle.json"];
    middle.removed = ["evidence/a.bundle.json"];
    newest.added = ["evidence/b.bundle.json"];
    for (const commit of p.commits) commit.id = String(commit.id).toUpperCase();
    p.head_commit = null;
    expect(classifyDelivery(headers, p, rules)).toMatchObject({ kind: "job", job: { files: ["evidence/b.bundle.json"], truncated: false } });
  });
});
