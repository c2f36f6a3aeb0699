import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { takeHolderFile } from "../../src/locks/holder-file.js";
import { currentProcess } from "../../src/locks/process-identity.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("holder-records");

function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

async function age(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

describe("a holder file that names no process", () => {
  it("is someone still writing it while young: refused, naming no holder", async () => {
    const path = join(await temp(), "p.claim");
    await writeFile(path, JSON.stringify({ owner: "alice" }));
    expect(await takeHolderFile(path, { owner: "bob" })).toEqual({ ok: false, holder: null });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ owner: "alice" });
  });

  it("is replaced once older than a writer could take", async () => {
    const path = join(await temp(), "p.claim");
    await writeFile(path, JSON.stringify({ owner: "alice", host: "elsewhere.example" }));
    await age(path, 60_000);
    const taken = await takeHolderFile(path, { owner: "bob" });
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ owner: "bob", pid: process.pid, host: currentProcess().host });
  });
});

describe("a refusal while the holder file is being written", () => {
  it("names the holder once its writer has finished, a moment later", async () => {
    const path = join(await temp(), "p.claim");
    await writeFile(path, "");
    const holder = { pid: process.ppid, host: currentProcess().host, owner: "alice" };
    // Written whole in the timer itself, so a loaded machine's thread pool cannot outlast the retries.
    const writing = new Promise<void>((done) => setTimeout(() => (writeFileSync(path, JSON.stringify(holder)), done()), 40));
    const result = await takeHolderFile(path, { owner: "bob" });
    await writing;
    expect(result).toEqual({ ok: false, holder });
  });
});

describe("a holder file left by a dead process", () => {
  it("is replaced by the new holder, written whole", async () => {
    const path = join(await temp(), "server.pid");
    await writeFile(path, JSON.stringify({ pid: deadPid(), host: currentProcess().host, since: "2026-11-21T00:00:00Z" }));
    const taken = await takeHolderFile(path, { since: "2026-11-21T12:00:00Z" });
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ ...currentProcess(), since: "2026-11-21T12:00:00Z" });
  });
});

describe("the holder file's permissions", () => {
  it("is made readable and writable by its owner only", async () => {
    const path = join(await temp(), "a.claim");
    expect((await takeHolderFile(path, { owner: "alice" })).ok).toBe(true);
    expect((await stat(path)).mode & 0o077).toBe(0);
  });

  it("a release removes the file, and the next taker gets it", async () => {
    const path = join(await temp(), "p.claim");
    const first = await takeHolderFile(path, { owner: "alice" });
    if (!first.ok) throw new Error("not taken");
    expect(await takeHolderFile(path, { owner: "bob" })).toMatchObject({ ok: false, holder: { owner: "alice", pid: process.pid } });
    await first.release();
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await takeHolderFile(path, { owner: "bob" })).ok).toBe(true);
  });
});
