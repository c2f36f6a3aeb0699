import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { hashFileSync, READ_BUFFER_BYTES, type HashedFile } from "./hash-file.js";
import type { HashJob } from "./hash-worker.js";

/** Files per message to a hashing thread: enough to amortise the message, few enough to balance the threads. */
const BATCH = 64;
// Compiled beside this file in dist/. Run from sources (the tests), it is absent and files are
// hashed inline; test/drift also runs the built binary, so both paths are exercised.
const WORKER_URL = new URL("./hash-worker.js", import.meta.url);

export function hashingThreadsAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

/**
 * Hashes files on a few threads while the caller is still finding them: sha256 runs on the
 * thread that calls it, so threads are what let a scan use more than one core, and starting them
 * while the tree is walked hides their start-up. Files are handed out in batches to whichever
 * thread is idle. Results come back in no particular order.
 */
export class HashPool {
  private readonly queue: string[] = [];
  private readonly results: HashedFile[] = [];
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[] = [];
  private busy = 0;
  private closed = false;
  private failure: Error | null = null;
  private settle: (() => void) | null = null;

  constructor(
    private readonly base: string,
    threads: number,
  ) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_URL);
      worker.on("message", (batch: HashedFile[]) => {
        for (const result of batch) this.results.push(result);
        this.busy--;
        this.idle.push(worker);
        this.dispatch();
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (!this.closed || this.queue.length > 0 || this.busy > 0) this.fail(new Error(`a hashing thread stopped (code ${code}) before its files were hashed`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  add(path: string): void {
    this.queue.push(path);
    if (this.queue.length >= BATCH) this.dispatch();
  }

  /** No more files: waits for every one to be hashed, stops the threads, and gives the results. */
  async finish(): Promise<HashedFile[]> {
    this.closed = true;
    this.dispatch();
    if (!this.done()) await new Promise<void>((resolve) => (this.settle = resolve));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    if (this.failure !== null) throw this.failure;
    return this.results;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.failure === null && (this.queue.length >= BATCH || (this.closed && this.queue.length > 0))) {
      const worker = this.idle.pop()!;
      const job: HashJob = { base: this.base, paths: this.queue.splice(0, BATCH) };
      this.busy++;
      worker.postMessage(job);
    }
    if (this.done()) this.settle?.();
  }

  private done(): boolean {
    return this.failure !== null || (this.closed && this.queue.length === 0 && this.busy === 0);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.settle?.();
  }
}

/** The same work on the calling thread, for small trees and when the threads' module is absent. */
export function hashInline(base: string, paths: readonly string[]): HashedFile[] {
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  return paths.map((path) => hashFileSync(base, path, buffer));
}
