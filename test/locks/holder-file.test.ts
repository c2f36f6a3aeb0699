import { spawnSync } from "node:child_process";
import { readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { claimDataFolder } from "../../src/inbox/single-writer.js";
import { takeHolderFile } from "../../src/locks/holder-file.js";
import { currentProcess } from "../../src/locks/process-identity.js";
import { takeClaim } from "../../src/queue/claim.js";
import { tempDirs } from "../receipts/helpers.js";
import { startChild, waitForOutput } from "./spawn.js";

const WORKER = fileURLToPath(new URL("./fixtures/claim-worker.mjs", import.meta.url));
const temp = tempDirs("holder-file");

/** The identity of a process that has exited: its pid is free (or reused by someone else). */
function deadProcess(): { pid: number; host: string } {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return { pid: Number(child.stdout.toString()), host: currentProcess().host };
}

describe("a holder file that could not be written", () => {
  it("is removed, so it blocks no one", async () => {
    const path = join(await temp(), "p_2.claim");
    // A field JSON cannot write stands in for a failed write (a full disk).
    await expect(takeHolderFile(path, { owner: 1n })).rejects.toThrow(TypeError);
    await expect(readFile(path)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await takeClaim(path, "bob", "2026-11-21T12:00:00Z")).ok).toBe(true);
  });
});

describe("claims on a proposal", () => {
  it("a second claim is refused with the holder named, and taken once released", async () => {
    const path = join(await temp(), "p_1.claim");
    const first = await takeClaim(path, "alice", "2026-11-21T12:00:00Z");
    expect(first.ok).toBe(true);
    const second = await takeClaim(path, "bob", "2026-11-21T12:00:01Z");
    expect(second).toMatchObject({ ok: false, holder: { owner: "alice", pid: process.pid, at: "2026-11-21T12:00:00Z" } });
    if (first.ok) await first.release();
    expect((await takeClaim(path, "bob", "2026-11-21T12:00:02Z")).ok).toBe(true);
  });

  it("a claim left by a dead process is taken over; one from another host is not", async () => {
    const dir = await temp();
    const dead = join(dir, "dead.claim");
    await writeFile(dead, JSON.stringify({ ...deadProcess(), owner: "crashed", at: "2026-11-21T11:00:00Z" }));
    expect((await takeClaim(dead, "bob", "2026-11-21T12:00:00Z")).ok).toBe(true);
    expect(JSON.parse(await readFile(dead, "utf8"))).toMatchObject({ owner: "bob", pid: process.pid });

    const remote = join(dir, "remote.claim");
    // Taken just now: another host's process cannot be checked from here (an old one is replaced, see test/queue/claims.test.ts).
    await writeFile(remote, JSON.stringify({ pid: 1, host: "elsewhere.example", owner: "carol", at: new Date().toISOString() }));
    expect(await takeClaim(remote, "bob", "2026-11-21T12:00:00Z")).toMatchObject({ ok: false, holder: { owner: "carol" } });
  });

  it("an empty claim file is someone writing it, until it is too old to be", async () => {
    const path = join(await temp(), "empty.claim");
    await writeFile(path, "");
    expect(await takeClaim(path, "bob", "2026-11-21T12:00:00Z")).toEqual({ ok: false, holder: null });
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    expect((await takeClaim(path, "bob", "2026-11-21T12:00:00Z")).ok).toBe(true);
  });

  it("many processes finding the same dead holder at once: exactly one takes over", { timeout: 60_000 }, async () => {
    const dir = await temp();
    const path = join(dir, "p_race.claim");
    await writeFile(path, JSON.stringify({ ...deadProcess(), owner: "crashed", at: "2026-11-21T11:00:00Z" }));
    const go = join(dir, "go");
    const children = Array.from({ length: 10 }, (_, i) => startChild(WORKER, [path, `op${i}`, go]));
    await Promise.all(children.map((child) => waitForOutput(child, "ready", 20_000)));
    await writeFile(go, "");
    await Promise.all(children.map((child) => child.exited));
    const results = children.map((child, i) => ({ owner: `op${i}`, ...(JSON.parse(child.stdout().split("\n")[1]!) as { ok: boolean; holder: string | null }) }));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => !r.ok)) expect(loser.holder).toBe(winners[0]!.owner);
  });
});

describe("one server per data folder", () => {
  it("a second server is refused naming the first; a dead one's pid file is replaced", async () => {
    const dir = await temp();
    await (await import("node:fs/promises")).mkdir(join(dir, "inbox"));
    const release = await claimDataFolder(dir);
    await expect(claimDataFolder(dir)).rejects.toThrow(`another patchwarden serve (pid ${process.pid} on ${currentProcess().host}, since `);
    await release();
    await writeFile(join(dir, "inbox", "server.pid"), JSON.stringify({ ...deadProcess(), since: "2026-11-21T00:00:00Z" }));
    const again = await claimDataFolder(dir);
    expect(JSON.parse(await readFile(join(dir, "inbox", "server.pid"), "utf8"))).toMatchObject({ pid: process.pid });
    await again();
  });
});
