import { writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sha256Digest } from "../../src/integrity/digest.js";
import { PolicyHolder } from "../../src/policy/policy-holder.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { recordingLog } from "../helpers/recording-log.js";

/** A hook run by the next read of the policy, after it has read the bytes and before it returns them. */
const hook = vi.hoisted(() => ({ afterRead: null as null | ((file: string) => Promise<void> | void) }));

vi.mock("../../src/fsutil/read-bounded.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/fsutil/read-bounded.js")>();
  return {
    ...real,
    readFileBounded: async (file: string, maxBytes: number) => {
      const read = await real.readFileBounded(file, maxBytes);
      const run = hook.afterRead;
      if (run !== null && file.endsWith("policy.toml")) {
        hook.afterRead = null;
        await run(file);
      }
      return read;
    },
  };
});

const T0 = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let path: string;
let shipped: string;
const renamed = (suffix: string) => shipped.replace(/^name = "([^"]+)"/m, `name = "$1-${suffix}"`);

beforeEach(async () => {
  hook.afterRead = null;
  dir = await mkdtemp(join(tmpdir(), "pw-policy-holder-races-"));
  path = join(dir, "policy.toml");
  shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  await writeFile(path, shipped);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("PolicyHolder: no edit is lost", () => {
  it("picks up an edit saved while the server was starting (between load's read and its stat)", async () => {
    const { log } = recordingLog();
    const edited = renamed("tightened");
    // The operator saves the file just after the server has read it, before it records the file's version.
    hook.afterRead = () => writeFileSync(path, edited);
    const holder = await PolicyHolder.load(path, log);
    expect(holder.latest.digest).toBe(sha256Digest(shipped));
    expect((await readFile(path, "utf8"))).toBe(edited);
    // Long after: the file on disk is the edit, and the holder should serve it.
    expect((await holder.current(T0 + 5_000)).digest).toBe(sha256Digest(edited));
  });

  it("does not let a slow read that started first overwrite a newer policy read after it", async () => {
    const { log } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const second = renamed("second");
    const third = renamed("third");
    await writeFile(path, second);
    // Check A (e.g. the gate worker) reads `second`, then stalls (a slow disk, or the review page's check overlapping it).
    let release!: () => void;
    let paused!: () => void;
    const stalled = new Promise<void>((resolve) => (paused = resolve));
    hook.afterRead = () => {
      paused();
      return new Promise<void>((resolve) => (release = resolve));
    };
    const a = holder.current(T0 + 5_000);
    await stalled;
    // Meanwhile the operator saves `third`, and check B comes a second later: it waits for A, one check at a time.
    await writeFile(path, third);
    const b = holder.current(T0 + 6_500);
    release();
    expect((await a).digest).toBe(sha256Digest(second));
    expect((await b).digest).toBe(sha256Digest(second));
    // The file is `third`, and has not changed since: the holder should serve it.
    expect((await holder.current(T0 + 10_000)).digest).toBe(sha256Digest(third));
  });
});
