import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { findCaseFiles } from "../../src/policy/cases/run-cases.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { fixture, REPO_ROOT } from "../helpers/paths.js";

// What the contract (docs/iskra-openclaw-evidence-bundle-spec.md) and the evaluator page
// (docs/operations/openclaw-runtime-repair-evaluator.md) promise, checked against what the gate does.

const policy = await readPolicy();
const doc = (path: string) => readFile(join(REPO_ROOT, path), "utf8");

describe("the contract's table of how a kit run maps to evidence", () => {
  /** `kit file → { kind, subject }`, from the table after "How the run maps to evidence:". */
  async function documentedMapping(): Promise<Map<string, { kind: string; subject: string }>> {
    const spec = await doc("docs/iskra-openclaw-evidence-bundle-spec.md");
    const table = spec.slice(spec.indexOf("How the run maps to evidence:")).split("\n\n")[1]!;
    const mapping = new Map<string, { kind: string; subject: string }>();
    for (const row of table.split("\n").slice(2)) {
      const [files, kind, subject] = row.split(" | ").map((cell) => cell.replace(/^\| |\|$/g, "").trim());
      const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      for (const file of ticked(files!)) {
        mapping.set(file, { kind: ticked(kind!)[0]!, subject: subject!.startsWith("the file's name") ? file.replace(/\.json$/, "") : ticked(subject!)[0]! });
      }
    }
    return mapping;
  }

  it("names every kit file's kind and subject as the gate gives them", async () => {
    const documented = await documentedMapping();
    const input = await readEvidence(fixture("openclaw-runs/green"));
    const given = input.bundle!.evidence.map((e) => [e.id, { kind: e.kind, subject: e.subject }]);
    expect(given).toHaveLength(11);
    expect(given).toEqual(given.map(([file]) => [file, documented.get(file as string)]));
    expect(documented.get("coverage-report.json")).toEqual({ kind: "openclaw-upgrade-simulator", subject: "installation-coverage" });
  });
});

describe("a plan step with a field beside its action", () => {
  const evidence = () => [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra" })];
  const judge = (bundle: unknown) => {
    const verdict = evaluate(inputOf(bundle), policy, NOW);
    return { verdict: verdict.verdict, reasons: verdict.reasons.map(({ code, path, message }) => ({ code, path, message })) };
  };
  const inCandidate = (step: Record<string, unknown>) => judge(bundleOf("runtime_diagnostics", evidence(), { plan: { steps: [step as { action: string }] } }));
  const inPlanEvidence = (step: Record<string, unknown>) =>
    judge(bundleOf("runtime_diagnostics", [...evidence(), item("supervised-repair-plan", { subject: "runtime_diagnostics", data: { steps: [step], rollback: null } })]));

  it("in the candidate's own plan breaks the contract: `command` is bundle_invalid (blocked)", () => {
    expect(inCandidate({ action: "doctor.lint", command: "openclaw doctor --fix" })).toEqual({
      verdict: "blocked",
      reasons: [{ code: "bundle_invalid", path: "bundle.candidate.plan.steps[0].command", message: "unknown key `command`; remove it or check its spelling" }],
    });
  });

  it("in the candidate's own plan takes no `expect` either: its steps are `{ action, description?, target? }`", () => {
    expect(inCandidate({ action: "doctor.lint", expect: "no findings" })).toEqual({
      verdict: "blocked",
      reasons: [{ code: "bundle_invalid", path: "bundle.candidate.plan.steps[0].expect", message: "unknown key `expect`; remove it or check its spelling" }],
    });
    expect(inCandidate({ action: "doctor.lint", description: "lint", target: "iskra" }).verdict).toBe("eligible_repair_dry_run");
  });

  it("in plan evidence holds the verdict with plan_step_not_allowed, and `expect` there is judged fine", () => {
    const withCommand = inPlanEvidence({ action: "doctor.lint", command: "openclaw doctor --fix" });
    expect(withCommand.verdict).toBe("needs_human");
    expect(withCommand.reasons.map((r) => [r.code, r.path])).toEqual([["plan_step_not_allowed", "bundle.evidence[2].data.steps[0].command"]]);
    expect(inPlanEvidence({ action: "doctor.lint", expect: "no findings" }).verdict).toBe("eligible_repair_dry_run");
  });
});

describe("the evaluator page's examples", () => {
  it("are each a golden case under fixtures/cases, with the verdict the page shows", async () => {
    const page = await doc("docs/operations/openclaw-runtime-repair-evaluator.md");
    const block = page.slice(page.indexOf("Examples, with the fixtures shipped in this repository:")).split("```")[1]!;
    const examples = [...block.matchAll(/--bundle (\S+) --now (\S+).*\n# verdict: (\w+)/g)].map(([, bundle, now, verdict]) => ({ bundle: resolve(REPO_ROOT, bundle!), now, verdict }));
    expect(examples.map((e) => e.verdict)).toEqual(["needs_human", "blocked", "eligible_repair_dry_run"]);

    const root = fixture("cases");
    const cases = await Promise.all(
      (await findCaseFiles(root)).map(async (file) => {
        const golden = parse(await readFile(file, "utf8")) as { bundle?: string; now: string; expect: { verdict: string } };
        return { bundle: golden.bundle === undefined ? undefined : resolve(dirname(file), golden.bundle), now: golden.now, verdict: golden.expect.verdict };
      }),
    );
    for (const example of examples) expect(cases, example.bundle).toContainEqual(example);
  });
});
