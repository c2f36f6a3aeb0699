import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { fixture } from "../helpers/paths.js";

const REPO = "Test-CI/multi-line-secrets";
const rules: TriggerRules = { repos: new Set([REPO]), operators: new Set(["root"]), producers: new Set(), gateLabel: "gate/review", evidenceGlobs: ["evidence/**/*.json"], policyGlobs: ["policies/**/*.toml"] };
const headers = { delivery: "d-1", event: "push", eventType: "push", signature: undefined };

async function realMulti(): Promise<Record<string, any>> {
  const p = JSON.parse(await readFile(fixture("forgejo/payloads/real/forgejo-codeberg-HookPushMulti.json"), "utf8")) as Record<string, any>;
  p.sender.login = "root";
  return p;
}

describe("a push whose commit order cannot be told from its payload", () => {
  it("keeps a file one commit added though a commit listed after it removed it: a present file is never skipped", async () => {
    const p = await realMulti();
    const [first, second, third] = p.commits;
    Object.assign(first, { added: ["evidence/a.bundle.json", "policies/gate.toml"], modified: [], removed: [] });
    Object.assign(second, { added: [], modified: [], removed: ["evidence/a.bundle.json", "policies/gate.toml"] });
    Object.assign(third, { added: ["evidence/b.bundle.json"], modified: [], removed: [] });
    // Neither end of the list (nor head_commit) is the pushed commit.
    p.after = "f".repeat(40);
    p.head_commit = null;
    expect(classifyDelivery(headers, p, rules)).toMatchObject({
      kind: "job",
      job: { files: ["evidence/a.bundle.json", "evidence/b.bundle.json"], policyFiles: ["policies/gate.toml"], truncated: true },
    });
  });
});
