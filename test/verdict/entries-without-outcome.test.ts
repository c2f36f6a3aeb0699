import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// docs/iskra-openclaw-evidence-bundle-spec.md, "What the gate reads in `data`": an entry inside a
// present list or object that does not say how it ended is not read as passed, but as
// `evidence_unknown`. A kit gate decision without `outcome` and a channel probe without `ok` used
// to read as passed before engine 1.5.0; `outcome: null` and `ok: null` already held the verdict.

const policy = await readPolicy();

function judge(extra: ReturnType<typeof item>[], runtimeData: Record<string, unknown> = { probe: "ok" }) {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", data: runtimeData }), item("autoheal-dashboard", { subject: "iskra" }), ...extra]);
  const verdict = evaluate(inputOf(bundle), policy, NOW);
  return { verdict: verdict.verdict, reasons: verdict.reasons.map(({ code, path, message }) => ({ code, path, message })) };
}

const gates = (decisions: unknown[]) => item("safe-update-dry-run", { subject: "conservative-gates", data: { status: "success", decisions } });
const health = (channels: Record<string, unknown>) => ({ health: { ok: true, channels } });

describe("a safe-update kit gate decision that does not say its outcome", () => {
  it("is evidence_unknown, as `outcome: null` is, naming the decision and its absent field", () => {
    expect(judge([gates([{ id: "rollback-evidence", outcome: null }])]).verdict).toBe("needs_human");
    expect(judge([gates([{ id: "authority-input-lossless", outcome: "pass" }, { id: "rollback-evidence", triggered: true }])])).toEqual({
      verdict: "needs_human",
      reasons: [
        {
          code: "evidence_unknown",
          path: "bundle.evidence[2].data.decisions[1].outcome",
          message:
            "`safe-update-dry-run` evidence[2] (`conservative-gates`) reports `pass`, but its gate decision `rollback-evidence` cannot be read (`data.decisions[1].outcome` is absent); the gate cannot tell whether the kit's gates passed, so a human must judge it",
        },
      ],
    });
  });

  it("shares one reason with the other unreadable decisions, and a decision without an id is named by its place", () => {
    const { reasons } = judge([gates([{ id: "rollback-evidence" }, { outcome: 3 }])]);
    expect(reasons.map((r) => r.code)).toEqual(["evidence_unknown"]);
    expect(reasons[0]!.message).toContain("its gate decisions `rollback-evidence` and `decisions[1]` cannot be read (`data.decisions[0].outcome` is absent)");
  });

  it("does not hide a blocked decision beside it", () => {
    const { verdict, reasons } = judge([gates([{ id: "rollback-evidence" }, { id: "installation-attestation-fresh-complete", outcome: "blocked" }])]);
    expect(verdict).toBe("blocked");
    expect(reasons.map((r) => r.code)).toEqual(["evidence_data_failed", "evidence_unknown"]);
  });

  it("every decision with its outcome is still eligible", () => {
    expect(judge([gates([{ id: "rollback-evidence", outcome: "conservative" }, { id: "authority-input-lossless", outcome: "pass" }])]).verdict).toBe("eligible_repair_dry_run");
  });
});

describe("a channel's or account's probe that does not say `ok`", () => {
  it("is evidence_unknown for a channel, as `ok: null` is", () => {
    expect(judge([], health({ signal: { probe: { ok: null, status: 503, error: "timeout" } } })).verdict).toBe("needs_human");
    expect(judge([], health({ signal: { probe: { status: 503, error: "timeout" } }, matrix: { probe: { ok: true } } }))).toEqual({
      verdict: "needs_human",
      reasons: [
        {
          code: "evidence_unknown",
          path: "bundle.evidence[0].data.health.channels.signal.probe.ok",
          message:
            "`runtime-truth-report` evidence[0] (`gw`) reports `pass`, but its channel probe results for `signal` cannot be read (`data.health.channels.signal.probe.ok` is absent); the gate cannot tell whether those channels answered, so a human must judge it, and the producer should write `openclaw health --json` as it is",
        },
      ],
    });
  });

  it("is evidence_unknown for an account, named channel/account", () => {
    const { verdict, reasons } = judge([], health({ signal: { accounts: { main: { probe: { error: "timeout" } } } } }));
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => [r.code, r.path])).toEqual([["evidence_unknown", "bundle.evidence[0].data.health.channels.signal.accounts.main.probe.ok"]]);
    expect(reasons[0]!.message).toContain("its channel probe results for `signal/main` cannot be read (`data.health.channels.signal.accounts.main.probe.ok` is absent)");
  });

  it("a channel or account listed without a probe is not judged (the spec's exemption)", () => {
    expect(judge([], health({ signal: {}, matrix: { accounts: { main: { accountId: "main" } } } })).verdict).toBe("eligible_repair_dry_run");
  });
});

describe("a safe-update kit run whose gate decisions lost their outcomes", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-kit-outcomes-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const sha = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  const dump = (v: unknown) => `${JSON.stringify(sorted(v), null, 2)}\n`;

  /** Re-pins the artifacts' digests and verdict.json's pins of the bundle, as the kit would (fixtures/openclaw-runs/make-variants.py). */
  async function reseal(run: string): Promise<void> {
    const bundle = JSON.parse(await readFile(join(run, "evidence-bundle.json"), "utf8"));
    for (const entry of bundle.evidence) entry.sha256 = sha(await readFile(join(run, entry.path)));
    const bytes = dump(bundle);
    await writeFile(join(run, "evidence-bundle.json"), bytes);
    const verdict = JSON.parse(await readFile(join(run, "verdict.json"), "utf8"));
    const pin = { path: "evidence-bundle.json", sha256: sha(bytes) };
    verdict.evidence_bundle = pin;
    verdict.run_envelope.evidence_bundle = pin;
    verdict.compatibility_view.payload.evidence_bundle = pin;
    await writeFile(join(run, "verdict.json"), dump(verdict));
  }

  it("is needs_human, not eligible, under the read-only review policy that makes the green run eligible", async () => {
    const run = join(dir, "run");
    await cp(fixture("openclaw-runs/green"), run, { recursive: true });
    const gatesFile = JSON.parse(await readFile(join(run, "conservative-gates.json"), "utf8"));
    for (const decision of gatesFile.decisions) delete decision.outcome;
    await writeFile(join(run, "conservative-gates.json"), dump(gatesFile));
    await reseal(run);
    const result = await runCli(["runtime-repair-check", "--bundle", run, "--policy", fixture("policies/read-only-upgrade-review.toml"), "--now", "2026-11-21T05:00:00Z", "--format", "json"]);
    const verdict = JSON.parse(result.stdout) as { verdict: string; reasons: { code: string; path: string }[] };
    expect(result.code).toBe(10);
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.filter((r) => r.code === "evidence_unknown").map((r) => r.path)).toEqual([expect.stringMatching(/\.data\.decisions\[0\]\.outcome$/)]);
  });
});
