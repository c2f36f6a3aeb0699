import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { REASON_CODES } from "../../src/verdict/reason-codes.js";
import { fixture, REPO_ROOT } from "../helpers/paths.js";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const reference = readFileSync(join(REPO_ROOT, "docs/policy-reference.md"), "utf8");
const rowOf = (code: string) => reference.split("\n").find((line) => line.startsWith(`| \`${code}\` |`)) ?? "";

const temps: string[] = [];
afterEach(async () => Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

// An operator grepping for a code must find what the gate gives: the bundle spec makes an artifact
// over 8 MiB `artifact_missing`, and `bundle_too_large` is the bundle's own size (or a delivery's).
describe("size limits: the reason code the gate gives is the one the docs name", () => {
  it("an artifact over 8 MiB is `artifact_missing`, saying the limit, not `bundle_too_large`", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pw-artifact-size-"));
    temps.push(dir);
    const big = Buffer.alloc(9 * 1024 * 1024);
    await writeFile(join(dir, "big.bin"), big);
    const bundle = parse(readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")) as { evidence: unknown[] };
    bundle.evidence.push({ kind: "incident-packet", subject: "big", generated_at: "2026-11-21T11:50:00Z", status: "pass", artifact: "big.bin", sha256: createHash("sha256").update(big).digest("hex"), data: {} });
    await writeFile(join(dir, "bundle.json"), JSON.stringify(bundle));

    const verdict = evaluate(await readEvidence(join(dir, "bundle.json")), await readPolicy(), NOW);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => r.code)).not.toContain("bundle_too_large");
    const missing = verdict.reasons.filter((r) => r.code === "artifact_missing");
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/names artifact `big\.bin`, which could not be read \(.*9 MiB, over the 8 MiB limit.*\)/);
  });

  it("the reference and REASON_CODES say so, in the same words", () => {
    expect(REASON_CODES.bundle_too_large.doc).toContain("An artifact over its limit is `artifact_missing`.");
    expect(REASON_CODES.bundle_too_large.doc).not.toMatch(/^The bundle or an artifact/);
    expect(REASON_CODES.artifact_missing.doc).toContain("over 8 MiB");
    for (const code of ["bundle_too_large", "artifact_missing"] as const) {
      expect(rowOf(code)).toBe(`| \`${code}\` | \`blocked\` | ${REASON_CODES[code].doc} |`);
    }
  });
});
