import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setImmediate as tick } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { acquireMutex, MutexTimeoutError, withMutex } from "../../src/locks/mutex.js";
import { currentProcess, liveness, startTime } from "../../src/locks/process-identity.js";
import { tempDirs } from "../receipts/helpers.js";
import { startChild, waitForOutput } from "./spawn.js";

const WORKER = fileURLToPath(new URL("./fixtures/mutex-worker.mjs", import.meta.url));
const temp = tempDirs("mutex");

async function increments(dir: string, file: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await withMutex(dir, async () => {
      const value = Number(await readFile(file, "utf8"));
      await tick();
      await writeFile(file, String(value + 1));
    });
  }
}

describe("the inter-process mutex", () => {
  it("serializes critical sections within one process", async () => {
    const dir = await temp();
    const file = join(dir, "counter");
    await writeFile(file, "0");
    await Promise.all(Array.from({ length: 8 }, () => increments(join(dir, "m"), file, 10)));
    expect(await readFile(file, "utf8")).toBe("80");
  });

  it("serializes read-modify-write across processes: no update is lost", async () => {
    const dir = await temp();
    const file = join(dir, "counter");
    await writeFile(file, "0");
    const children = Array.from({ length: 5 }, () => startChild(WORKER, ["count", join(dir, "m"), file, "30"]));
    // And this process competes too.
    await increments(join(dir, "m"), file, 30);
    const exits = await Promise.all(children.map((child) => child.exited));
    expect(exits.every((exit) => exit.code === 0)).toBe(true);
    expect(await readFile(file, "utf8")).toBe("180");
    // Old records are cleaned up as the series moves on.
    expect((await readdir(join(dir, "m"))).length).toBeLessThanOrEqual(3);
  });

  it("takes over from a holder that was killed while holding it", async () => {
    const dir = await temp();
    const holder = startChild(WORKER, ["hold", join(dir, "m")]);
    await waitForOutput(holder, "held");
    holder.process.kill("SIGKILL");
    await holder.exited;
    const started = Date.now();
    expect(await withMutex(join(dir, "m"), async () => "mine", { timeoutMs: 5000 })).toBe("mine");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("waits for a live holder, then gives up naming it", async () => {
    const dir = await temp();
    const holder = startChild(WORKER, ["hold", join(dir, "m")]);
    try {
      await waitForOutput(holder, "held");
      const attempt = withMutex(join(dir, "m"), async () => "mine", { timeoutMs: 300 });
      await expect(attempt).rejects.toThrow(MutexTimeoutError);
      await expect(withMutex(join(dir, "m"), async () => "mine", { timeoutMs: 100 })).rejects.toThrow(new RegExp(`still locked by pid ${holder.process.pid} on ${hostname()} since .*; if that process is stuck, stop it and try again`));
    } finally {
      holder.process.kill("SIGKILL");
      await holder.exited;
    }
  });

  it("presumes a holder on another host dead only after it has held the mutex too long", async () => {
    const dir = join(await temp(), "m");
    await mkdir(dir);
    const record = (at: number) => JSON.stringify({ state: "held", owner: { pid: 1, host: "elsewhere.example" }, at });
    await writeFile(join(dir, "000000000001"), record(Date.now()));
    await expect(withMutex(dir, async () => "mine", { timeoutMs: 200, staleAfterMs: 60_000 })).rejects.toThrow(/still locked by pid 1 on elsewhere\.example/);
    await writeFile(join(dir, "000000000002"), record(Date.now() - 120_000));
    expect(await withMutex(dir, async () => "mine", { timeoutMs: 2000, staleAfterMs: 60_000 })).toBe("mine");
  });

  it("hands over to a waiter as soon as it is released", async () => {
    const dir = join(await temp(), "m");
    const held = await acquireMutex(dir);
    let entered = false;
    const waiter = withMutex(dir, async () => (entered = true));
    await new Promise((done) => setTimeout(done, 50));
    expect(entered).toBe(false);
    expect(await held.release()).toBe(true);
    await waiter;
    expect(entered).toBe(true);
  });

  it("tells a dead or reused pid from a live process", () => {
    const me = currentProcess();
    expect(liveness(me)).toBe("alive");
    expect(liveness({ ...me, host: "elsewhere.example" })).toBe("unknown");
    expect(liveness({ pid: 2 ** 22 + 12345, host: me.host })).toBe("dead");
    if (me.started !== undefined) {
      expect(startTime(process.pid)).toBe(me.started);
      expect(liveness({ ...me, started: `${me.started}1` })).toBe("dead");
    }
    if (me.boot !== undefined) expect(liveness({ ...me, boot: "another-boot" })).toBe("dead");
  });
});
