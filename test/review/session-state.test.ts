import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { SESSION_KEY_FILE } from "../../src/server/review/session-key.js";
import { openSessionState } from "../../src/server/review/session-state.js";
import { SIGNED_OUT_FILE, SignedOutSessions } from "../../src/server/review/signed-out-sessions.js";
import { EXAMPLE_TIME } from "./helpers.js";

const keyWrite = vi.hoisted(() => ({ fails: false }));
vi.mock(import("../../src/server/review/session-key.js"), async (original) => {
  const real = await original();
  return {
    ...real,
    replaceSessionKey: async (dataDir: string) => {
      if (keyWrite.fails) throw new Error("EROFS: read-only file system");
      return real.replaceSessionKey(dataDir);
    },
  };
});

let dir: string;
let events: string[];
const log: Logger = { info: () => {}, warn: (event) => void events.push(`warn ${event}`), error: (event) => void events.push(`error ${event}`) };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-session-state-"));
  events = [];
  keyWrite.fails = false;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const storedKey = async () => Buffer.from((await readFile(join(dir, SESSION_KEY_FILE), "utf8")).trim(), "hex");

describe("a list of sign-outs that cannot be trusted, when the session key cannot be replaced either", () => {
  it("signs this run's sessions with a key of its own, never the old one, and leaves the damaged list as it is", async () => {
    const first = await openSessionState(dir, EXAMPLE_TIME, log);
    const oldKey = await storedKey();
    expect(first.key.equals(oldKey)).toBe(true);
    await writeFile(join(dir, SIGNED_OUT_FILE), "{ torn");
    keyWrite.fails = true;
    const state = await openSessionState(dir, EXAMPLE_TIME + 1000, log);
    expect(events).toEqual(["warn review.signed_out_damaged", "error review.session_key_not_replaced"]);
    expect(state.key.equals(oldKey)).toBe(false);
    expect(state.key).toHaveLength(32);
    expect((await storedKey()).equals(oldKey)).toBe(true);
    // A sign-out in this run is kept in memory only: the damaged list stays, so the next start fails closed again.
    await state.signedOut.add("s".repeat(24), EXAMPLE_TIME + 60_000, EXAMPLE_TIME + 1000);
    expect(state.signedOut.has("s".repeat(24))).toBe(true);
    expect(await readFile(join(dir, SIGNED_OUT_FILE), "utf8")).toBe("{ torn");
    expect(await SignedOutSessions.load(dir, EXAMPLE_TIME + 2000)).toEqual({ ok: false, problem: `${join(dir, SIGNED_OUT_FILE)}: is not a list of signed-out review sessions` });
  });
});

describe("a list of sign-outs that cannot be read nor written", () => {
  it("still starts: a new key ends every session, and the failure to save the empty list is logged", async () => {
    await openSessionState(dir, EXAMPLE_TIME, log);
    const oldKey = await storedKey();
    // A folder where the list should be: it can be neither read nor replaced.
    await mkdir(join(dir, SIGNED_OUT_FILE));
    const state = await openSessionState(dir, EXAMPLE_TIME + 1000, log);
    expect(events).toEqual(["warn review.signed_out_damaged", "error review.signed_out_not_saved"]);
    expect(state.key.equals(oldKey)).toBe(false);
    expect(state.key.equals(await storedKey())).toBe(true);
  });
});

describe("a list of sign-outs larger than any this code writes", () => {
  it("is not trusted, even when every entry in it is well-formed", async () => {
    const entries: Record<string, number> = {};
    for (let i = 0; i < 26_000; i++) entries[`s${String(i).padStart(23, "0")}`] = EXAMPLE_TIME + 60_000;
    const text = JSON.stringify({ version: 1, signed_out: entries });
    expect(text.length).toBeGreaterThan(1024 * 1024);
    await writeFile(join(dir, SIGNED_OUT_FILE), text);
    expect(await SignedOutSessions.load(dir, EXAMPLE_TIME)).toEqual({ ok: false, problem: `${join(dir, SIGNED_OUT_FILE)}: holds ${text.length} characters, more than a list of sign-outs ever needs` });
    const before = (await openSessionState(dir, EXAMPLE_TIME, log)).key;
    expect(events).toEqual(["warn review.signed_out_damaged"]);
    expect(JSON.parse(await readFile(join(dir, SIGNED_OUT_FILE), "utf8"))).toEqual({ version: 1, signed_out: {} });
    expect(before.equals(await storedKey())).toBe(true);
  });
});

describe("adding a sign-out", () => {
  it("drops the entries whose sessions have expired by then, the one expiring at that very millisecond too", async () => {
    const list = new SignedOutSessions(join(dir, SIGNED_OUT_FILE));
    await list.add("a".repeat(24), EXAMPLE_TIME + 1000, EXAMPLE_TIME);
    await list.add("b".repeat(24), EXAMPLE_TIME + 5000, EXAMPLE_TIME + 1000);
    expect(JSON.parse(await readFile(join(dir, SIGNED_OUT_FILE), "utf8"))).toEqual({ version: 1, signed_out: { ["b".repeat(24)]: EXAMPLE_TIME + 5000 } });
    expect(list.has("a".repeat(24))).toBe(false);
  });
});
