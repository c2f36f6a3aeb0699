import { readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { currentProcess } from "../../src/locks/process-identity.js";
import { FOREIGN_CLAIM_STALE_MS, takeClaim } from "../../src/queue/claim.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("foreign-claim-age");

/** A claim file as another host's approval leaves it: `at` by that host's clock, the file's mtime set apart. */
async function foreignClaim(at: number, modified: number): Promise<string> {
  const path = join(await temp(), "p_1.claim");
  await writeFile(path, JSON.stringify({ pid: 4242, host: "old-iskra-host", owner: "alice", at: new Date(at).toISOString() }));
  await utimes(path, new Date(modified), new Date(modified));
  return path;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a claim from another host whose clock runs ahead", () => {
  it("is judged by the older of its own time and the file's: a file a day old is replaced, though its `at` is in the future", async () => {
    const path = await foreignClaim(Date.now() + 24 * 3600_000, Date.now() - 24 * 3600_000);
    const taken = await takeClaim(path, "bob", new Date().toISOString());
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ owner: "bob", pid: process.pid, host: currentProcess().host });
    if (taken.ok) await taken.release();
  });
});

describe("the age at which a claim from another host is replaced", () => {
  // Only the clock is frozen: the file system and the mutex keep their own timers.
  const NOW = Date.parse("2026-11-21T12:00:00.000Z");

  it("exactly the limit old: still respected", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    const path = await foreignClaim(NOW - FOREIGN_CLAIM_STALE_MS, NOW);
    const taken = await takeClaim(path, "bob", new Date(NOW).toISOString());
    expect(taken).toMatchObject({ ok: false, holder: { owner: "alice", host: "old-iskra-host", pid: 4242 } });
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ owner: "alice" });
  });

  it("one millisecond older than the limit: replaced", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    const path = await foreignClaim(NOW - FOREIGN_CLAIM_STALE_MS - 1, NOW);
    const taken = await takeClaim(path, "bob", new Date(NOW).toISOString());
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ owner: "bob", at: "2026-11-21T12:00:00.000Z" });
    if (taken.ok) await taken.release();
  });
});
