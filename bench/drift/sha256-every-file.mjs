// A bare hashing pass over a tree, for the drift suite's comparison with rsync: list the tree, then
// read every file and sha256 it on one thread per core (up to 4, as the manifest), two batches in
// flight per thread. Nothing else: no checks, no modes, no sorting, no manifest, no output. A
// manifest does all of this and more; this measures what the hashing alone costs in Node.
//
//   node bench/drift/sha256-every-file.mjs DIR [THREADS]
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

const root = process.argv[2];
if (root === undefined) {
  console.error("usage: node bench/drift/sha256-every-file.mjs DIR [THREADS]");
  process.exit(2);
}
const threads = Number(process.argv[3] ?? Math.min(availableParallelism(), 4));
const BATCH = 64;

const hasher = `
const { parentPort } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { createHash } = require("node:crypto");
const buffer = Buffer.allocUnsafe(1024 * 1024);
parentPort.on("message", (paths) => {
  if (paths === null) process.exit(0);
  const digests = [];
  for (const path of paths) {
    const fd = openSync(path, "r");
    const hash = createHash("sha256");
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
    closeSync(fd);
    digests.push(hash.digest("hex"));
  }
  parentPort.postMessage(digests);
});`;

// Threads start before the walk, so their start-up overlaps it, as the manifest's do.
const workers = Array.from({ length: threads }, () => new Worker(hasher, { eval: true }));
const files = [];
(function walk(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) files.push(path);
  }
})(root);

let next = 0;
let hashed = 0;
const feed = (worker) => {
  if (next >= files.length) return worker.postMessage(null);
  worker.postMessage(files.slice(next, next + BATCH));
  next += BATCH;
};
for (const worker of workers) {
  worker.on("message", (digests) => {
    hashed += digests.length;
    feed(worker);
  });
  worker.on("error", (error) => {
    console.error(error);
    process.exit(1);
  });
  feed(worker);
  feed(worker);
}
process.on("exit", (code) => {
  if (code === 0 && hashed !== files.length) {
    console.error(`hashed ${hashed} of ${files.length} files`);
    process.exitCode = 1;
  }
});
