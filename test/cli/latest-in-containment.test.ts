import { chmod, cp, lutimes, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { fixture, nobodyCanReadCheckout } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

// --latest-in reads a folder another user writes: nothing in it may lead the gate to read, print or
// propose what lies outside it (Patchwarden's own secrets above all), and what it cannot read blocks.
const SECRET = "hunter2-webhook-secret-0123456789abcdef";
const GREEN_DIGEST = "sha256:8e75e00dad3491b0b4722b93c9fe36ada989523814aa1910e92b1765baab9983";
const NOBODY = 65534;
const at = (iso: string) => new Date(iso);

let temp: string;
let evidenceDir: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-latest-in-"));
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(join(temp, "gate-data"));
  await chmod(temp, 0o755);
  evidenceDir = join(temp, "evidence");
  dataDir = join(temp, "patchwarden-data");
  await mkdir(evidenceDir, { mode: 0o755 });
  await mkdir(dataDir);
  await writeFile(join(dataDir, "webhook-secret"), `${SECRET}\n`, { mode: 0o600 });
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const check = (args: string[]) => runCli(["runtime-repair-check", ...args, "--now", "2026-11-21T05:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: join(temp, "gate-data"), USER: "patchwarden" } });

async function copyRun(name: string, as: string, bundleTime: string): Promise<string> {
  const dir = join(evidenceDir, as);
  await cp(fixture(`openclaw-runs/${name}`), dir, { recursive: true });
  await utimes(join(dir, "evidence-bundle.json"), at(bundleTime), at(bundleTime));
  return dir;
}

describe("--latest-in and symbolic links leaving the evidence folder", () => {
  it("does not echo the target of a *.yaml link to Patchwarden's webhook secret", async () => {
    await symlink(join(dataDir, "webhook-secret"), join(evidenceDir, "z-bundle.yaml"));
    for (const format of ["json", "text", "markdown"]) {
      const run = await check(["--latest-in", evidenceDir, "--format", format]);
      expect(run.code).toBe(20);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stdout).toContain("bundle_unreadable");
      expect(run.stdout).toContain("z-bundle.yaml");
    }
  });

  it("does not queue the secret for Forgejo when the hourly gate proposes (--propose)", async () => {
    await symlink(join(dataDir, "webhook-secret"), join(evidenceDir, "z-bundle.yaml"));
    const run = await check(["--latest-in", evidenceDir, "--propose", "iskra/ops#1"]);
    expect(run.code).toBe(20);
    const [proposal] = await verdictProposals(new ProposalStore(join(temp, "gate-data")));
    expect(JSON.stringify(proposal)).not.toContain(SECRET);
    expect(proposal!.verdict.reasons.map((r) => r.code)).toContain("bundle_unreadable");
  });

  it("blocks on the newest link leaving the folder instead of judging an older bundle", async () => {
    await copyRun("green", "run-0440", "2026-11-21T04:44:47Z");
    const link = join(evidenceDir, "z-bundle.json");
    await symlink(join(dataDir, "webhook-secret"), link);
    await lutimes(link, at("2026-11-21T04:50:00Z"), at("2026-11-21T04:50:00Z"));
    const run = await check(["--latest-in", evidenceDir]);
    expect(run.code).toBe(20);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.reasons[0]).toMatchObject({ code: "bundle_unreadable", message: expect.stringContaining(`\`${link}\``) });
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stdout).not.toContain("webhook-secret");
  });

  it("refuses a run folder whose evidence-bundle.json leads outside it, by --latest-in and by --bundle", async () => {
    const run = await copyRun("green", "run-0440", "2026-11-21T04:44:47Z");
    await rm(join(run, "evidence-bundle.json"));
    await symlink(join(dataDir, "webhook-secret"), join(run, "evidence-bundle.json"));
    for (const args of [["--latest-in", evidenceDir], ["--bundle", run]]) {
      const result = await check([...args, "--format", "text"]);
      expect(result.code).toBe(20);
      expect(result.stdout).toContain("bundle_unreadable");
      expect(result.stdout).not.toContain(SECRET);
    }
  });

  it("still follows a `latest` link to a run folder inside the evidence folder", async () => {
    // The run sits one folder down, where --latest-in does not look: only the link reaches it.
    await mkdir(join(evidenceDir, "runs"));
    await cp(fixture("openclaw-runs/green"), join(evidenceDir, "runs", "a-run"), { recursive: true });
    const t = at("2026-11-21T04:44:47Z");
    await utimes(join(evidenceDir, "runs", "a-run", "evidence-bundle.json"), t, t);
    await utimes(join(evidenceDir, "runs"), t, t);
    expect((await check(["--latest-in", evidenceDir])).code).toBe(20); // unreachable without the link
    await symlink(join("runs", "a-run"), join(evidenceDir, "latest"));
    await symlink(join(evidenceDir, "runs", "a-run", "evidence-bundle.json"), join(evidenceDir, "runs", "a-run", "bundle-link.json"));
    const run = await check(["--latest-in", evidenceDir]);
    expect(run.code).toBe(10);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: "needs_human", bundle: { digest: GREEN_DIGEST } });
    // A link inside the folder to a bundle inside it is read as well.
    const inside = await check(["--bundle", join(evidenceDir, "runs", "a-run", "bundle-link.json")]);
    expect(JSON.parse(inside.stdout)).toMatchObject({ verdict: "needs_human", bundle: { digest: GREEN_DIGEST } });
  });

  it("says only the type and length of a bundle that is not an object, never its text", async () => {
    const path = join(evidenceDir, "bundle.yaml");
    await writeFile(path, `${SECRET}\n`);
    await utimes(path, at("2026-11-21T04:50:00Z"), at("2026-11-21T04:50:00Z"));
    const run = await check(["--latest-in", evidenceDir, "--format", "text"]);
    expect(run.code).toBe(20);
    expect(run.stdout).toContain("bundle_invalid");
    expect(run.stdout).toContain(`a text of ${SECRET.length} characters`);
    expect(run.stdout).not.toContain(SECRET);
  });
});

describe("--latest-in and entries the gate cannot read", () => {
  it.runIf(process.getuid?.() === 0 && nobodyCanReadCheckout())("blocks instead of judging the older green run (run folder it may not enter)", async () => {
    await copyRun("green", "run-0440", "2026-11-21T04:44:47Z");
    const unreadable = await copyRun("blocked-no-attestation", "run-0450", "2026-11-21T04:50:00Z");
    await chmod(unreadable, 0o700);
    process.seteuid!(NOBODY);
    let run;
    try {
      run = await check(["--latest-in", evidenceDir]);
    } finally {
      process.seteuid!(0);
    }
    const verdict = JSON.parse(run.stdout);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.bundle.digest).toBeNull();
    expect(verdict.reasons[0]).toMatchObject({ code: "bundle_unreadable", message: expect.stringContaining("permission denied") });
    expect(run.code).toBe(20);
  });

  it.runIf(process.getuid?.() !== 0)("blocks instead of judging the older green run (run folder it may not enter, as a user)", async () => {
    await copyRun("green", "run-0440", "2026-11-21T04:44:47Z");
    const unreadable = await copyRun("blocked-no-attestation", "run-0450", "2026-11-21T04:50:00Z");
    await chmod(unreadable, 0o600);
    try {
      const run = await check(["--latest-in", evidenceDir]);
      expect(JSON.parse(run.stdout).verdict).toBe("blocked");
      expect(run.code).toBe(20);
    } finally {
      await chmod(unreadable, 0o755);
    }
  });

  it("blocks on an entry whose stat fails for another reason than absence (a link loop), as any user", async () => {
    await copyRun("green", "run-0440", "2026-11-21T04:44:47Z");
    const loop = join(evidenceDir, "run-0450");
    await symlink("run-0450", loop);
    await lutimes(loop, at("2026-11-21T04:50:00Z"), at("2026-11-21T04:50:00Z"));
    const run = await check(["--latest-in", evidenceDir]);
    expect(run.code).toBe(20);
    expect(JSON.parse(run.stdout).reasons[0]).toMatchObject({ code: "bundle_unreadable", message: expect.stringContaining(`\`${loop}\``) });
  });

  it("still skips a dangling link and judges the bundle that is there", async () => {
    await copyRun("green", "run-0440", "2026-11-21T04:44:47Z");
    const dangling = join(evidenceDir, "gone.json");
    await symlink(join(evidenceDir, "nothing-here.json"), dangling);
    await lutimes(dangling, at("2026-11-21T04:50:00Z"), at("2026-11-21T04:50:00Z"));
    const run = await check(["--latest-in", evidenceDir]);
    expect(run.code).toBe(10);
    expect(JSON.parse(run.stdout).bundle.digest).toBe(GREEN_DIGEST);
  });
});
