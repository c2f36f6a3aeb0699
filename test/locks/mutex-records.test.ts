import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireMutex, MutexLostError, MutexTimeoutError, withMutex } from "../../src/locks/mutex.js";
import { currentProcess, isProcessIdentity, liveness, startTime } from "../../src/locks/process-identity.js";
import { tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("mutex-records");
const RECORD = /^\d{12}$/;

/** A pid on this host that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

/** The tag a writer on `host` puts in its temp file names. */
function hostTag(host: string): string {
  return createHash("sha256").update(host).digest("hex").slice(0, 8);
}

async function mutexDir(): Promise<string> {
  const dir = join(await temp(), "m");
  await mkdir(dir);
  return dir;
}

async function records(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => RECORD.test(name)).sort();
}

const fresh = (owner: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ state: "held", owner, at: Date.now(), ...extra });

describe("a mutex record that cannot be read is nobody's hold", () => {
  it("an empty newest record (a crash of the whole machine) is taken over at once", async () => {
    const dir = await mutexDir();
    await writeFile(join(dir, "000000000003"), "");
    expect(await withMutex(dir, async () => "mine", { timeoutMs: 300 })).toBe("mine");
    expect(await records(dir)).toEqual(["000000000004", "000000000005"]);
  });

  it("a record that is not JSON is taken over at once", async () => {
    const dir = await mutexDir();
    await writeFile(join(dir, "000000000001"), "{\"state\":\"held\",");
    expect(await withMutex(dir, async () => "mine", { timeoutMs: 300 })).toBe("mine");
  });

  it("a fresh held record from another host whose time is not a number is unreadable, and taken over", async () => {
    const dir = await mutexDir();
    await writeFile(join(dir, "000000000001"), JSON.stringify({ state: "held", owner: { pid: 1, host: "elsewhere.example" }, at: new Date().toISOString() }));
    expect(await withMutex(dir, async () => "mine", { timeoutMs: 300, staleAfterMs: 60_000 })).toBe("mine");
  });

  it("a fresh record from another host with an unknown state is unreadable, and taken over", async () => {
    const dir = await mutexDir();
    await writeFile(join(dir, "000000000001"), JSON.stringify({ state: "busy", owner: { pid: 1, host: "elsewhere.example" }, at: Date.now() }));
    expect(await withMutex(dir, async () => "mine", { timeoutMs: 300, staleAfterMs: 60_000 })).toBe("mine");
  });

  it("a fresh held record whose owner is not a process identity is unreadable, and taken over", async () => {
    for (const owner of [{ pid: "7", host: "elsewhere.example" }, { pid: 7, host: 7 }, { pid: 7, host: "elsewhere.example", boot: 1 }, "pid 7"]) {
      const dir = await mutexDir();
      await writeFile(join(dir, "000000000001"), fresh(owner));
      expect(await withMutex(dir, async () => "mine", { timeoutMs: 300, staleAfterMs: 60_000 }), JSON.stringify(owner)).toBe("mine");
    }
  });

  it("baseline: the same fresh record with a readable owner from another host still holds the mutex", async () => {
    const dir = await mutexDir();
    await writeFile(join(dir, "000000000001"), fresh({ pid: 7, host: "elsewhere.example" }));
    await expect(withMutex(dir, async () => "mine", { timeoutMs: 150, staleAfterMs: 60_000 })).rejects.toThrow(/^.*: still locked by pid 7 on elsewhere\.example since /);
  });

  it("a held record of a dead process on this host is taken over at once", async () => {
    const dir = await mutexDir();
    await writeFile(join(dir, "000000000001"), fresh({ pid: deadPid(), host: currentProcess().host }));
    expect(await withMutex(dir, async () => "mine", { timeoutMs: 300 })).toBe("mine");
  });
});

describe("a mutex taken over while held", () => {
  it("withMutex reports the lost exclusion once the body is done, naming the folder", async () => {
    const dir = await mutexDir();
    const run = withMutex(dir, async () => {
      // Another process judged this one dead and took the next record.
      const newest = Math.max(...(await records(dir)).map(Number));
      await writeFile(join(dir, String(newest + 1).padStart(12, "0")), fresh({ pid: 7, host: "elsewhere.example" }));
      return "done";
    });
    await expect(run).rejects.toThrow(MutexLostError);
    await expect(run).rejects.toThrow(
      `${dir}: the lock was taken over while this process held it (its owner was judged dead); check the clocks and process liveness on this host`,
    );
  });

  it("release() says false when the next record was taken by someone else", async () => {
    const dir = await mutexDir();
    const held = await acquireMutex(dir);
    const newest = Math.max(...(await records(dir)).map(Number));
    await writeFile(join(dir, String(newest + 1).padStart(12, "0")), fresh({ pid: 7, host: "elsewhere.example" }));
    expect(await held.release()).toBe(false);
  });
});

describe("releasing a mutex", () => {
  it("a second release of the same hold is a no-op that still reports success", async () => {
    const dir = await mutexDir();
    const held = await acquireMutex(dir);
    expect(await held.release()).toBe(true);
    const after = await records(dir);
    expect(await held.release()).toBe(true);
    expect(await records(dir)).toEqual(after);
  });

  it("keeps the folder small: old records and its own temp files are removed", async () => {
    const dir = await mutexDir();
    for (let i = 0; i < 6; i++) await withMutex(dir, async () => undefined);
    const names = await readdir(dir);
    expect(names.filter((name) => name.startsWith("tmp-"))).toEqual([]);
    expect(names.filter((name) => RECORD.test(name)).length).toBeLessThanOrEqual(2);
  });

  it("removes the temp files of dead writers on this host, and no one else's", async () => {
    const dir = await mutexDir();
    const me = currentProcess();
    const tag = hostTag(me.host);
    const dead = deadPid();
    const deadMine = `tmp-${tag}-${dead}-0123456789ab`;
    const liveMine = `tmp-${tag}-${process.ppid}-0123456789ab`;
    const unparsable = `tmp-${tag}-writer-0123456789ab`;
    const otherHost = `tmp-${hostTag(`${me.host}.elsewhere`)}-${dead}-0123456789ab`;
    for (const name of [deadMine, liveMine, unparsable, otherHost]) await writeFile(join(dir, name), "{}");
    await withMutex(dir, async () => undefined);
    const left = (await readdir(dir)).filter((name) => name.startsWith("tmp-")).sort();
    expect(left).toEqual([liveMine, unparsable, otherHost].sort());
  });
});

describe("waiting inside one process", () => {
  it("gives up after the timeout, naming this process, and the next caller still gets the mutex", async () => {
    const dir = await mutexDir();
    const held = await acquireMutex(dir);
    const me = currentProcess();
    const waiting = withMutex(dir, async () => "second", { timeoutMs: 100 });
    await expect(waiting).rejects.toThrow(MutexTimeoutError);
    await expect(waiting).rejects.toThrow(`${dir}: still locked by pid ${me.pid} on ${me.host}; if that process is stuck, stop it and try again`);
    expect(await held.release()).toBe(true);
    expect(await withMutex(dir, async () => "third", { timeoutMs: 1000 })).toBe("third");
  });

  it("a folder removed under a running process is a free mutex, made again", async () => {
    const dir = await mutexDir();
    expect(await withMutex(dir, async () => "first")).toBe("first");
    await rm(dir, { recursive: true });
    expect(await withMutex(dir, async () => "again", { timeoutMs: 1000 })).toBe("again");
    expect(existsSync(dir)).toBe(true);
  });
});

describe("process identities", () => {
  it("accepts only a whole-number pid, a host name, and text boot and start fields", () => {
    expect(isProcessIdentity({ pid: 7, host: "h" })).toBe(true);
    expect(isProcessIdentity({ pid: 7, host: "h", boot: "b", started: "12" })).toBe(true);
    for (const value of [null, "pid 7", { pid: "7", host: "h" }, { pid: 7.5, host: "h" }, { pid: 7 }, { pid: 7, host: 7 }, { pid: 7, host: "h", boot: 1 }, { pid: 7, host: "h", started: 12 }]) {
      expect(isProcessIdentity(value), JSON.stringify(value)).toBe(false);
    }
  });

  it.runIf(existsSync("/proc/self/stat"))("reads a process's start time from field 22 of /proc/PID/stat", () => {
    const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
    const field22 = stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/)[19];
    expect(startTime(process.pid)).toBe(field22);
    expect(field22).toMatch(/^\d+$/);
    // The parent started earlier than this process: the recorded start tells them apart.
    expect(startTime(process.ppid)).not.toBe(startTime(process.pid));
  });

  it("a live process on this host is alive; one on another host cannot be judged", () => {
    expect(liveness({ pid: process.ppid, host: currentProcess().host })).toBe("alive");
    expect(liveness({ pid: deadPid(), host: `${currentProcess().host}.elsewhere` })).toBe("unknown");
  });
});
