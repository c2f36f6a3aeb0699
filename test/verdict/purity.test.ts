import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderJson } from "../../src/verdict/render/json.js";
import { REPO_ROOT, fixture } from "../helpers/paths.js";

const ENGINE_DIR = join(REPO_ROOT, "src/verdict");

function engineSources(dir = ENGINE_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? engineSources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

afterEach(() => vi.restoreAllMocks());

describe("the verdict engine is a pure function of (input, policy, now)", () => {
  it("imports no file, network, process or clock module anywhere in src/verdict", () => {
    const sources = engineSources();
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/from "node:/);
      expect(text, file).not.toMatch(/\bprocess\.|Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(/);
    }
  });

  it("never reads the clock while evaluating", async () => {
    const input = await readEvidence(fixture("openclaw-runs/green"));
    const policy = await readPolicy();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("the engine read the clock");
    });
    const verdict = evaluate(input, policy, Date.parse("2026-11-21T05:00:00Z"));
    expect(verdict.verdict).toBe("needs_human");
    expect(clock).not.toHaveBeenCalled();
  });

  it("gives byte-identical JSON for the same inputs, and does not mutate them", async () => {
    const input = await readEvidence(fixture("openclaw-runs/blocked-no-attestation"));
    const policy = await readPolicy();
    const before = JSON.stringify(input);
    const at = Date.parse("2026-11-21T05:00:00Z");
    const first = renderJson(evaluate(input, policy, at));
    const second = renderJson(evaluate(structuredClone(input), policy, at));
    expect(second).toBe(first);
    expect(JSON.stringify(input)).toBe(before);
  });
});
