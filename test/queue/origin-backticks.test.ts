import { describe, expect, it } from "vitest";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { composeProposal } from "../../src/queue/compose-proposal.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

// A pushed file name may hold a backtick; kept in the origin line, it would close the origin's code span and put
// the rest of the name into the comment as markup (an image, a link, a mention).
const NOW = Date.parse("2026-11-21T12:00:00Z");

describe("the origin line of a proposed comment", () => {
  it("keeps a path with backticks inside one code span", async () => {
    const snapshot = await readEvidenceSnapshot(fixture("examples/runtime-diagnostics.bundle.yaml"));
    const verdict = evaluate(snapshotToInput(snapshot), await readPolicy(), NOW);
    const origin = "o/r@aaaaaaaaaaaa:evidence/x`![p](https://evil.example/p.png)<img src=x>`.bundle.json";
    const p = composeProposal({ verdict, target: { repo: "o/r", kind: "pull", number: 3 }, trigger: "pull_request", delivery: { id: "d", event: "pull_request" }, origin, evidenceRef: "0".repeat(64), now: "2026-11-21T12:00:00Z", actor: "patchwarden" }, "d");
    const body = (p.post as { body: string }).body;
    const line = body.split("\n").find((l) => l.startsWith("<sub>Patchwarden proposal"))!;
    expect(line).toContain("for evidence from `o/r@\u200baaaaaaaaaaaa:evidence/x ![p](https://evil.example/p.png)<img src=x> .bundle.json`. Posted only");
    // Exactly three code spans' worth of backticks on the line: the id's two and the origin's two.
    expect(line.match(/`/g)).toHaveLength(4);
  });
});
