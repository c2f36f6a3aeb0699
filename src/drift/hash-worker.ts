import { parentPort } from "node:worker_threads";
import { hashFileSync, READ_BUFFER_BYTES, type HashedFile } from "./hash-file.js";

/** A batch of files for one hashing thread, and what it sends back (in the same order). */
export interface HashJob {
  base: string;
  paths: string[];
}

// Entry point of a hashing thread (see scan-tree.ts): sha256 runs on the thread that calls it,
// so spreading files over threads is what lets a scan use more than one core.
if (parentPort !== null) {
  const port = parentPort;
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  port.on("message", (job: HashJob) => {
    const results: HashedFile[] = job.paths.map((path) => hashFileSync(job.base, path, buffer));
    port.postMessage(results);
  });
}
