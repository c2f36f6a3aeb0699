import type { EventEmitter } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// Hashing threads as the pool sees them: each answers a batch with its files hashed (on the
// calling thread here), and `plan` can make one stop or fail instead, as a real thread may.
type Plan = { onJob?: (worker: FakeWorker, job: { base: string; paths: string[] }) => boolean; onStart?: (worker: FakeWorker) => void };
interface FakeWorker extends EventEmitter {
  index: number;
  jobs: number;
  terminated: boolean;
}
const threads = vi.hoisted(() => ({ plan: {} as Plan, started: [] as FakeWorker[] }));

vi.mock("node:worker_threads", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:worker_threads")>();
  const { EventEmitter: Emitter } = await import("node:events");
  const { hashFileSync, READ_BUFFER_BYTES } = await import("../../src/drift/hash-file.js");
  class Worker extends Emitter {
    index = threads.started.length;
    jobs = 0;
    terminated = false;
    private readonly buffer = Buffer.alloc(READ_BUFFER_BYTES);
    constructor(_url: URL) {
      super();
      threads.started.push(this);
      const onStart = threads.plan.onStart;
      if (onStart !== undefined) setImmediate(() => onStart(this));
    }
    postMessage(job: { base: string; paths: string[] }): void {
      this.jobs++;
      setImmediate(() => {
        if (this.terminated) return;
        if (threads.plan.onJob?.(this, job) === false) return;
        this.emit("message", job.paths.map((path) => hashFileSync(job.base, path, this.buffer)));
      });
    }
    // As node's: the thread stops, "exit" is emitted with code 1, then the promise settles.
    terminate(): Promise<number> {
      if (this.terminated) return Promise.resolve(1);
      this.terminated = true;
      return new Promise((resolve) =>
        setImmediate(() => {
          this.emit("exit", 1);
          resolve(1);
        }),
      );
    }
  }
  return { ...actual, default: { ...actual, Worker }, Worker };
});

const { HashPool } = await import("../../src/drift/hash-pool.js");
const { sha256Digest } = await import("../../src/integrity/digest.js");

const made: string[] = [];
afterEach(() => {
  threads.plan = {};
  threads.started.length = 0;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function treeOf(count: number): { root: string; paths: string[] } {
  const root = mkdtempSync(join(tmpdir(), "pw-hash-pool-"));
  made.push(root);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `d${i % 5}/f${i}.txt`;
    mkdirSync(join(root, `d${i % 5}`), { recursive: true });
    writeFileSync(join(root, path), `file ${i}\n`);
    paths.push(path);
  }
  return { root, paths };
}

function stop(worker: FakeWorker, code: number): void {
  worker.terminated = true;
  worker.emit("exit", code);
}

describe("hashing files on a pool of threads", () => {
  it.each([1, 63, 64, 65, 130, 301])("gives every one of %i files exactly once, each with its own digest", async (count) => {
    const { root, paths } = treeOf(count);
    const pool = new HashPool(root, 3);
    for (const path of paths) pool.add(path);
    const results = await pool.finish();
    const entries = results.map((result) => {
      if (!result.ok) throw new Error(`expected ${result.problem.path} hashed: ${result.problem.message}`);
      return result.entry;
    });
    expect(entries.map((entry) => entry.path).sort()).toEqual([...paths].sort());
    for (const entry of entries) expect(entry.sha256).toBe(sha256Digest(`file ${Number(entry.path.replace(/^.*\/f|\.txt$/g, ""))}\n`));
  });

  it("spreads a large tree over more than one thread, and stops every thread once done", async () => {
    const { root, paths } = treeOf(400);
    threads.plan = {};
    const pool = new HashPool(root, 3);
    for (const path of paths) pool.add(path);
    expect(await pool.finish()).toHaveLength(400);
    expect(threads.started).toHaveLength(3);
    expect(threads.started.filter((worker) => worker.jobs > 0).length).toBeGreaterThan(1);
    expect(threads.started.every((worker) => worker.terminated)).toBe(true);
  });

  it("gives no results, but says so, when a thread stops while it holds files", async () => {
    const { root, paths } = treeOf(200);
    threads.plan = {
      onJob: (worker) => {
        if (worker.index !== 0) return true;
        stop(worker, 7);
        return false;
      },
    };
    const pool = new HashPool(root, 2);
    for (const path of paths) pool.add(path);
    await expect(pool.finish()).rejects.toThrow("a hashing thread stopped (code 7) before its files were hashed");
    expect(threads.started.every((worker) => worker.terminated)).toBe(true);
  });

  it("says so when a thread stops before it was given anything, rather than waiting for it", async () => {
    const { root, paths } = treeOf(10);
    threads.plan = { onStart: (worker) => stop(worker, 3) };
    const pool = new HashPool(root, 1);
    // The thread stops while the pool holds no file yet.
    await new Promise((resolve) => setImmediate(resolve));
    for (const path of paths) pool.add(path);
    await expect(pool.finish()).rejects.toThrow("a hashing thread stopped (code 3) before its files were hashed");
  });

  it("says so when the only thread stops holding the last files, after the pool was told there are no more", async () => {
    const { root, paths } = treeOf(10);
    threads.plan = {
      onJob: (worker) => {
        stop(worker, 9);
        return false;
      },
    };
    const pool = new HashPool(root, 1);
    for (const path of paths) pool.add(path);
    await expect(pool.finish()).rejects.toThrow("a hashing thread stopped (code 9) before its files were hashed");
  });

  it("gives the only thread's own error when it fails holding the last files, not the stop that follows", async () => {
    const { root, paths } = treeOf(10);
    threads.plan = {
      onJob: (worker) => {
        worker.emit("error", new Error("cannot allocate a hashing buffer"));
        return false;
      },
    };
    const pool = new HashPool(root, 1);
    for (const path of paths) pool.add(path);
    await expect(pool.finish()).rejects.toThrow("cannot allocate a hashing buffer");
  });

  it("gives the thread's own error when a thread fails", async () => {
    const { root, paths } = treeOf(150);
    threads.plan = {
      onJob: (worker) => {
        if (worker.index !== 1) return true;
        worker.emit("error", new Error("out of memory in a hashing thread"));
        return false;
      },
    };
    const pool = new HashPool(root, 2);
    for (const path of paths) pool.add(path);
    await expect(pool.finish()).rejects.toThrow("out of memory in a hashing thread");
  });
});
