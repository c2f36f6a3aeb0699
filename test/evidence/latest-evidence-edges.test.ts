// --latest-in: which entries of the evidence folder count as evidence, how an unreadable folder is
// named, and how the newest bundle is read again until it has settled.
import { mkdir, mkdtemp, realpath, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readLatestEvidence, type SettleOptions } from "../../src/evidence/latest-evidence.js";
import { freshBundleBytes } from "../helpers/bundles.js";

// A hook after each bounded read, so a test can rename a new bundle over the one just read, as a
// writer publishing atomically would; every read still goes to the real reader.
const hook = vi.hoisted(() => ({ afterRead: null as null | ((path: string) => Promise<void>) }));
vi.mock("../../src/fsutil/read-bounded.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/fsutil/read-bounded.js")>();
  return {
    ...real,
    readFileBounded: async (path: string, maxBytes: number) => {
      const read = await real.readFileBounded(path, maxBytes);
      if (hook.afterRead !== null) await hook.afterRead(path);
      return read;
    },
  };
});

let temp: string;
let evidence: string;
let older: string;
let olderBytes: Uint8Array;
const nowS = () => Date.now() / 1000;

/** The real clock (file times are real), sleeping recorded but not waited for. */
function noWait(): SettleOptions & { slept: number[] } {
  const slept: number[] = [];
  return { slept, clock: Date.now, sleep: async (ms) => void slept.push(ms) };
}

async function aged(path: string, ageSeconds: number): Promise<void> {
  await utimes(path, nowS() - ageSeconds, nowS() - ageSeconds);
}

beforeEach(async () => {
  temp = await realpath(await mkdtemp(join(tmpdir(), "pw-latest-edges-")));
  evidence = join(temp, "evidence");
  await mkdir(evidence);
  // An older, valid bundle: what must be judged when nothing newer is evidence.
  older = join(evidence, "a.json");
  olderBytes = freshBundleBytes(Date.now());
  await writeFile(older, olderBytes);
  await aged(older, 100);
});
afterEach(async () => {
  hook.afterRead = null;
  await rm(temp, { recursive: true, force: true });
});

describe("--latest-in: entries that are not evidence", () => {
  it("skips a newer hidden file named like a bundle (a writer's temporary file)", async () => {
    const hidden = join(evidence, ".b.json");
    await writeFile(hidden, '{"schema": "patchwarden.evidence_bundle.v1", "half-writt');
    await aged(hidden, 10);
    const snapshot = await readLatestEvidence(evidence, undefined, noWait());
    expect(snapshot.origin).toBe(older);
    expect(Buffer.from(snapshot.bundle!)).toEqual(Buffer.from(olderBytes));
  });

  it("skips a newer file whose name is not a bundle's", async () => {
    const notes = join(evidence, "notes.txt");
    await writeFile(notes, "not a bundle");
    await aged(notes, 10);
    const snapshot = await readLatestEvidence(evidence, undefined, noWait());
    expect(snapshot.origin).toBe(older);
    expect(snapshot.bundle).not.toBeNull();
  });

  it("skips a newer folder that holds no evidence-bundle.json", async () => {
    const archive = join(evidence, "archive");
    await mkdir(archive);
    await writeFile(join(archive, "old.txt"), "kept");
    await aged(archive, 10);
    const snapshot = await readLatestEvidence(evidence, undefined, noWait());
    expect(snapshot.origin).toBe(older);
    expect(snapshot.bundle).not.toBeNull();
  });
});

describe("--latest-in: an evidence folder that cannot be listed", () => {
  it("is bundle_unreadable when the path is a file, and bundle_not_found only when nothing is there", async () => {
    const unreadable = await readLatestEvidence(older, undefined, noWait());
    expect(unreadable).toMatchObject({
      origin: older,
      bundle: null,
      problemCode: "bundle_unreadable",
      problem: `cannot read the evidence folder \`${older}\` (a part of the path is not a folder); check that Iskra writes its bundles there and that Patchwarden may read it`,
    });
    const missing = join(temp, "missing");
    const absent = await readLatestEvidence(missing, undefined, noWait());
    expect(absent).toMatchObject({
      bundle: null,
      problemCode: "bundle_not_found",
      problem: `cannot read the evidence folder \`${missing}\` (no such file); check that Iskra writes its bundles there and that Patchwarden may read it`,
    });
  });
});

describe("--latest-in: reading the newest bundle until it has settled", () => {
  it("reads again when only the modification time changed across the read", async () => {
    let calls = 0;
    const time = noWait();
    const snapshot = await readLatestEvidence(evidence, undefined, {
      ...time,
      statFile: async (path) => {
        calls++;
        const info = await stat(path);
        // Same size, another time: rewritten in place with bytes of the same length.
        return calls === 1 ? { size: info.size, mtimeMs: info.mtimeMs - 1_000 } : info;
      },
    });
    expect(time.slept).toEqual([500]);
    expect(calls).toBe(4);
    expect(snapshot.bundle).not.toBeNull();
  });

  it("reads again when the bundle could not be looked at before the read", async () => {
    let calls = 0;
    const time = noWait();
    const snapshot = await readLatestEvidence(evidence, undefined, {
      ...time,
      statFile: async (path) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error("gone for a moment"), { code: "ENOENT" });
        return stat(path);
      },
    });
    expect(time.slept).toEqual([500]);
    expect(calls).toBe(4);
    expect(snapshot.bundle).not.toBeNull();
  });

  it("reads the whole new bundle when a writer's rename replaced it during the read", async () => {
    const replacement = freshBundleBytes(Date.now() - 1_000);
    hook.afterRead = async (path) => {
      if (path !== older) return;
      hook.afterRead = null;
      const next = join(evidence, ".a.json.tmp");
      await writeFile(next, replacement);
      await aged(next, 100);
      await rename(next, older);
    };
    const time = noWait();
    const snapshot = await readLatestEvidence(evidence, undefined, time);
    expect(time.slept).toEqual([500]);
    expect(snapshot.bundle).not.toBeNull();
    expect(Buffer.from(snapshot.bundle!)).toEqual(Buffer.from(replacement));
  });

  it("says the bundle kept being replaced, not that it is still being written, when every read is replaced", async () => {
    let round = 0;
    hook.afterRead = async (path) => {
      if (path !== older) return;
      const next = join(evidence, `.a.json.${round++}.tmp`);
      await writeFile(next, olderBytes);
      await aged(next, 100);
      await rename(next, older);
    };
    const time = noWait();
    const snapshot = await readLatestEvidence(evidence, undefined, time);
    expect(time.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(snapshot).toMatchObject({
      origin: older,
      bundle: null,
      replacedWhileRead: true,
      problem: `\`${older}\` was replaced while it was read, so what was read may not be one whole bundle; run the check again (the newest bundle in a folder is read again for up to 10 s)`,
    });
  });
});
