import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const GREEN = fixture("openclaw-runs/green");
const temp = await mkdtemp(join(tmpdir(), "pw-cli-"));
afterAll(() => rm(temp, { recursive: true, force: true }));

describe("patchwarden runtime-repair-check", () => {
  it("exits 10 for needs_human, 20 for blocked, 0 for eligible", async () => {
    expect((await runCli(["runtime-repair-check", "--bundle", GREEN, "--now", "2026-11-21T05:00:00Z"])).code).toBe(10);
    expect((await runCli(["runtime-repair-check", "--bundle", fixture("openclaw-runs/blocked-no-attestation"), "--now", "2026-11-21T05:00:00Z"])).code).toBe(20);
    expect((await runCli(["runtime-repair-check", "--bundle", fixture("bundles/artifacts/intact.bundle.json"), "--now", "2026-11-21T12:00:00Z"])).code).toBe(0);
  });

  it("uses the clock it is given when --now is absent", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", GREEN], { now: Date.parse("2026-11-21T07:00:00Z") });
    expect(run.code).toBe(20);
    expect(JSON.parse(run.stdout)).toMatchObject({ evaluated_at: "2026-11-21T07:00:00.000Z", verdict: "blocked" });
  });

  it("prints the verdict JSON by default, with digests, engine, times and mode", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", GREEN, "--now", "2026-11-21T05:00:00Z"]);
    const verdict = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(verdict).toMatchObject({
      schema: "patchwarden.verdict.v1",
      verdict: "needs_human",
      mode: "proposal_only",
      bundle: { format: "openclaw.safe_update.evidence_bundle.v1", digest: "sha256:8e75e00dad3491b0b4722b93c9fe36ada989523814aa1910e92b1765baab9983" },
      policy: { name: "iskra-openclaw", digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      engine: { name: "patchwarden-verdict-engine", version: expect.any(String) },
      evaluated_at: "2026-11-21T05:00:00.000Z",
      valid_until: "2026-11-21T05:44:47.000Z",
    });
    expect(run.stderr).toBe("");
  });

  it("renders markdown with the verdict first, then reasons, then digests", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", GREEN, "--now", "2026-11-21T05:00:00Z", "--format", "markdown"]);
    const verdictAt = run.stdout.indexOf("Patchwarden gate: `needs_human`");
    const reasonsAt = run.stdout.indexOf("#### Reasons");
    const digestsAt = run.stdout.indexOf("<summary>Digests</summary>");
    expect(verdictAt).toBeGreaterThan(0);
    expect(reasonsAt).toBeGreaterThan(verdictAt);
    expect(digestsAt).toBeGreaterThan(reasonsAt);
    expect(run.stdout).toContain("`mutation_requires_operator`");
  });

  it("renders text for a terminal", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", GREEN, "--now", "2026-11-21T05:00:00Z", "--format", "text"]);
    expect(run.stdout.split("\n")[0]).toBe("verdict: needs_human (needs a human)");
    expect(run.stdout).toContain("mode: proposal only — Patchwarden executed nothing.");
  });

  it("turns an unreadable bundle into a blocked verdict, not an error", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", join(temp, "absent.json"), "--now", "2026-11-21T05:00:00Z"]);
    expect(run.code).toBe(20);
    expect(JSON.parse(run.stdout).reasons[0]).toMatchObject({ code: "bundle_unreadable", message: expect.stringMatching(/no such file/) });
  });

  it("refuses a bundle over the size limit without reading it whole", async () => {
    const huge = join(temp, "huge.json");
    await writeFile(huge, Buffer.alloc(9 * 1024 * 1024, 0x20));
    const run = await runCli(["runtime-repair-check", "--bundle", huge, "--now", "2026-11-21T05:00:00Z"]);
    expect(run.code).toBe(20);
    expect(JSON.parse(run.stdout).reasons[0]).toMatchObject({ code: "bundle_too_large", message: expect.stringMatching(/9 MiB, over the 8 MiB limit/) });
  });

  it("exits 2 with a message saying what to fix when it cannot run", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["runtime-repair-check"], /--bundle: missing; give a bundle, e\.g\. `--bundle evidence\/bundle\.json`, or a folder to take the newest from/],
      [["runtime-repair-check", "--bundle", GREEN, "--now", "2026-11-21"], /--now: `2026-11-21` is not an ISO-8601 time/],
      [["runtime-repair-check", "--bundle", GREEN, "--format", "html"], /--format: unknown value `html`; use one of json, text, markdown/],
      [["runtime-repair-check", "--bundle", GREEN, "--bundel", "x"], /unknown option `--bundel`/],
      [["runtime-repair-check", "--bundle"], /option `--bundle` needs a value/],
      [["runtime-repair-check", "--bundle", GREEN, "--policy", join(temp, "absent.toml")], /cannot read .*absent\.toml.*no such file/],
      [["runtime-repair-check", "--bundle", GREEN, "extra"], /expected 0 argument\(s\), got `extra`/],
      [["runtime-repair-chek"], /unknown command `runtime-repair-chek`/],
    ];
    for (const [argv, message] of cases) {
      const run = await runCli(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr, argv.join(" ")).toMatch(message);
      expect(run.stdout, argv.join(" ")).toBe("");
    }
  });

  it("exits 2 and lists every policy problem for an invalid policy", async () => {
    const bad = join(temp, "bad.toml");
    await writeFile(bad, 'schema = "patchwarden.policy.v0"\nname = "x"\n[clock]\nskew_tolerance = "soon"\n');
    const run = await runCli(["runtime-repair-check", "--bundle", GREEN, "--policy", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("policy.clock.skew_tolerance: `soon` is not a duration");
    expect(run.stderr).toContain("policy.evidence: missing; add it");
    expect(run.stderr).toContain("policy.hard_manual: missing; add it");
  });

  it("takes the policy from PATCHWARDEN_POLICY when --policy is absent", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", GREEN], { env: { PATCHWARDEN_POLICY: join(temp, "nowhere.toml") } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nowhere\.toml/);
  });
});

describe("the repair class's risk, executor and postchecks reach the operator (#68: per class)", () => {
  // docs/policy-reference.md: `risk` is "shown to the operator", `postchecks` are "carried into
  // proposals"; docs/autoheal-roadmap.md: the operator carries out a repair "with the tool the
  // verdict names as its executor".
  const restart = {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:55:00Z",
    producer: { name: "iskra-autoheal", version: "0.9.0", host: "iskra" },
    candidate: { repair_class: "gateway_restart", summary: "Restart the gateway after the 503 incident", target: { host: "iskra", service: "openclaw-gateway.service" } },
    evidence: [
      { kind: "runtime-truth-report", subject: "openclaw-gateway", generated_at: "2026-11-21T11:50:00Z", status: "pass", data: { unit: { active: "active" } } },
      { kind: "autoheal-dashboard", subject: "iskra", generated_at: "2026-11-21T11:50:00Z", status: "pass", data: {} },
      { kind: "incident-packet", subject: "gateway-503", generated_at: "2026-11-21T11:50:00Z", status: "pass", data: {} },
    ],
  };
  const EXECUTOR = "the operator: systemctl --user restart openclaw-gateway.service";
  const POSTCHECKS = ["/readyz answers ready and the gateway is not draining", "openclaw health --json reports ok"];
  const check = async (format: string, bundle: unknown = restart) => {
    const path = join(temp, `repair-${format}-${Math.random().toString(36).slice(2)}.bundle.json`);
    await writeFile(path, JSON.stringify(bundle));
    return runCli(["runtime-repair-check", "--bundle", path, "--now", "2026-11-21T12:00:00Z", "--format", format]);
  };

  it("carries them in the verdict JSON a proposal stores", async () => {
    const run = await check("json");
    expect(run.code).toBe(10);
    expect(JSON.parse(run.stdout).repair).toEqual({ class: "gateway_restart", risk: "high", executor: EXECUTOR, postchecks: POSTCHECKS });
  });

  it("names them in the proposed comment, below the repair class and target", async () => {
    const run = await check("markdown");
    expect(run.code).toBe(10);
    expect(run.stdout).toContain(
      ["**Target:** host `iskra`, service `openclaw-gateway.service`", "**Class risk:** `high`", `**Executor:** \`${EXECUTOR}\``, "**Postchecks after an approved repair:**", ...POSTCHECKS.map((c) => `- \`${c}\``), ""].join("\n"),
    );
  });

  it("names them in the text verdict, below the repair class and target", async () => {
    const run = await check("text");
    expect(run.stdout.split("\n").slice(1, 8)).toEqual(["repair class: gateway_restart — Restart the gateway after the 503 incident", "repair target: host iskra, service openclaw-gateway.service", "class risk: high", `executor: ${EXECUTOR}`, "postchecks:", ...POSTCHECKS.map((c) => `  - ${c}`)]);
  });

  it("says a class without postchecks has none, and carries nothing for a class the policy does not know", async () => {
    const diagnostics = { ...restart, candidate: { ...restart.candidate, repair_class: "runtime_diagnostics" } };
    expect((await check("text", diagnostics)).stdout).toContain("\nexecutor: openclaw doctor --lint --json and openclaw health --json, read-only\npostchecks: none\n");
    expect((await check("markdown", diagnostics)).stdout).toContain("\n**Postchecks after an approved repair:** none\n");
    const unknown = await check("json", { ...restart, candidate: { ...restart.candidate, repair_class: "reboot_host" } });
    expect(unknown.code).toBe(20);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ repair_class: "reboot_host", repair: null });
  });
});

describe("patchwarden help and version", () => {
  it("prints --help for every command and the top level", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    for (const name of ["runtime-repair-check", "policy validate", "policy test", "schema"]) {
      expect(top.stdout).toContain(name);
      const run = await runCli([...name.split(" "), "--help"]);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toMatch(new RegExp(`^usage: patchwarden ${name}`));
    }
  });

  it("prints the version", async () => {
    const run = await runCli(["--version"]);
    expect(run.stdout).toMatch(/^patchwarden \d+\.\d+\.\d+\n$/);
  });
});

describe("patchwarden policy validate / test", () => {
  it("validates the shipped policy", async () => {
    const run = await runCli(["policy", "validate"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/valid policy `iskra-openclaw` \(sha256:[0-9a-f]{64}\)/);
  });

  it("runs the golden cases and exits 1 when one fails", async () => {
    expect((await runCli(["policy", "test", fixture("cases")])).code).toBe(0);
    const dir = await mkdtemp(join(temp, "cases-"));
    await writeFile(
      join(dir, "wrong.case.yaml"),
      `description: expects the wrong verdict\nbundle: ${JSON.stringify(GREEN)}\nnow: "2026-11-21T05:00:00Z"\nexpect:\n  verdict: eligible_repair_dry_run\n  reasons: [dry_run_only]\n`,
    );
    const run = await runCli(["policy", "test", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAIL  wrong");
    expect(run.stdout).toContain("verdict: expected `eligible_repair_dry_run`, got `needs_human`");
  });

  it("refuses a case file with an unknown reason code", async () => {
    const dir = await mkdtemp(join(temp, "cases-"));
    await writeFile(join(dir, "typo.case.yaml"), `description: x\nbundle: ${JSON.stringify(GREEN)}\nnow: "2026-11-21T05:00:00Z"\nexpect:\n  verdict: needs_human\n  reasons: [mutation_requires_operater]\n`);
    const run = await runCli(["policy", "test", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("case.expect.reasons[0]: unknown reason code `mutation_requires_operater`; did you mean `mutation_requires_operator`?");
  });

  it("refuses an empty case folder: a test with no cases proves nothing", async () => {
    const dir = await mkdtemp(join(temp, "empty-"));
    expect((await runCli(["policy", "test", dir])).code).toBe(2);
  });
});

describe("the command registry", () => {
  it("loads, for every name, the command that carries that name", async () => {
    const { COMMANDS } = await import("../../src/cli/commands/index.js");
    for (const entry of COMMANDS) expect((await entry.load()).name, entry.name).toBe(entry.name);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });
});
