// How --latest-in ranks entries it cannot read or must refuse: by the newest time that touches
// them, so an older readable bundle is never judged in place of a newer entry it refuses.
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence } from "../../src/evidence/latest-evidence.js";

let temp: string;
let evidence: string;
let outside: string;
const nowS = () => Date.now() / 1000;

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-latest-ranking-"));
  evidence = join(temp, "evidence");
  outside = join(temp, "outside");
  await mkdir(evidence);
  await mkdir(outside);
  // An older, readable bundle: the one a fail-open ranking would judge instead.
  const older = join(evidence, "a.json");
  await writeFile(older, '{"schema": "patchwarden.evidence_bundle.v1"}');
  await utimes(older, nowS() - 100, nowS() - 100);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

async function oldFile(path: string, ageSeconds: number): Promise<void> {
  await writeFile(path, '{"secret": "do not read"}');
  await utimes(path, nowS() - ageSeconds, nowS() - ageSeconds);
}

describe("--latest-in never judges an older bundle in place of a newer entry it refuses", () => {
  it("ranks a bundle-named link out of the folder by the link's own (new) time, not its old target's", async () => {
    await oldFile(join(outside, "secret.json"), 10_000);
    await symlink(join(outside, "secret.json"), join(evidence, "b.json"));
    const snapshot = await readLatestEvidence(evidence);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(join(evidence, "b.json"));
    expect(snapshot.problem).toMatch(/leads outside the evidence folder/);
  });

  it("ranks a link to a run folder outside by the link's own (new) time, not its old bundle's", async () => {
    await mkdir(join(outside, "run"));
    await oldFile(join(outside, "run", "evidence-bundle.json"), 10_000);
    await symlink(join(outside, "run"), join(evidence, "run-0500"));
    const snapshot = await readLatestEvidence(evidence);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(join(evidence, "run-0500"));
    expect(snapshot.problem).toMatch(/leads outside the evidence folder/);
  });

  it("ranks a run folder whose evidence-bundle.json links outside by the folder's (new) time", async () => {
    await oldFile(join(outside, "secret.json"), 10_000);
    await mkdir(join(evidence, "run-0600"));
    await symlink(join(outside, "secret.json"), join(evidence, "run-0600", "evidence-bundle.json"));
    const snapshot = await readLatestEvidence(evidence);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toMatch(/evidence-bundle\.json` leads outside its run folder/);
  });

  it("blocks on a bundle-named link loop instead of skipping it for an older bundle", async () => {
    await symlink("z.json", join(evidence, "z.json"));
    const snapshot = await readLatestEvidence(evidence);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problemCode).toBe("bundle_unreadable");
    expect(snapshot.origin).toBe(join(evidence, "z.json"));
  });
});

describe("--latest-in: the 5 s of slack for a time ahead of the clock", () => {
  it("blocks a newest bundle dated 5.5 s after the clock, and reads one dated 4.5 s after it", async () => {
    const at = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const path = join(evidence, "b.json");
    await writeFile(path, '{"schema": "patchwarden.evidence_bundle.v1"}');
    await utimes(path, (at + 5_500) / 1000, (at + 5_500) / 1000);
    const ahead = await readLatestEvidence(evidence, undefined, { clock: () => at, sleep: async () => {} });
    expect(ahead.bundle).toBeNull();
    expect(ahead.problem).toMatch(/after this host's clock/);
    // Within the slack it is read (it is also past the 2 s quiet period, so no wait).
    const within = await readLatestEvidence(evidence, undefined, { clock: () => at + 1_000, sleep: async () => {} });
    expect(within.bundle).not.toBeNull();
  });
});
