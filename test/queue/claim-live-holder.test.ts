import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentProcess } from "../../src/locks/process-identity.js";
import { describeClaimHolder, takeClaim } from "../../src/queue/claim.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("claim-age");

describe("a claim held by a live process on this host", () => {
  it("is respected however old it is: its age is judged only for a claim from another host", async () => {
    const path = join(await temp(), "p_1.claim");
    const dayAgo = new Date(Date.now() - 24 * 3600_000);
    // This very process, still running: an approval that has been slow, not a crash.
    await writeFile(path, JSON.stringify({ ...currentProcess(), owner: "alice", at: dayAgo.toISOString() }));
    await utimes(path, dayAgo, dayAgo);
    expect(await takeClaim(path, "bob", new Date().toISOString())).toMatchObject({ ok: false, holder: { owner: "alice", pid: process.pid } });
  });

  it("is described without the note about claims from another host", () => {
    const holder = { ...currentProcess(), owner: "alice", at: "2026-11-21T12:00:00.000Z" };
    expect(describeClaimHolder(holder)).toBe(` by alice (pid ${process.pid} on ${currentProcess().host}, since 2026-11-21T12:00:00.000Z)`);
    expect(describeClaimHolder({ pid: 4242, host: "old-iskra-host", owner: "alice", at: "2026-11-21T12:00:00.000Z" })).toBe(
      " by alice (pid 4242 on old-iskra-host, since 2026-11-21T12:00:00.000Z; a claim from another host is replaced once 10 minutes old)",
    );
    expect(describeClaimHolder(null)).toBe("");
  });
});
