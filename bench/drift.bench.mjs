// Issue #3 §5: `drift manifest` of a generated tree of 10,000 files / about 1 GB, in the same run
// as the floor (`find | xargs -0 sha256sum`) and as `rsync -rcn --delete --itemize-changes`
// between two such trees (the tool #142 leaned on); and a plan over two 100,000-entry manifests.
// Trees are generated under the system's temporary folder and removed afterwards. Every row
// runs warm (the trees are in the page cache after one untimed pass), median of RUNS.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildManifest, serializeManifest } from "../dist/drift/manifest.js";
import { buildPlan } from "../dist/drift/plan.js";
import { readManifest } from "../dist/drift/read-manifest.js";
import { scanTree } from "../dist/drift/scan-tree.js";
import { readPolicy } from "../dist/policy/read-policy.js";
import { sha256Digest } from "../dist/integrity/digest.js";
import { check, fmt } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "dist/cli/main.js");
const HASHING_PASS = join(ROOT, "bench/drift/sha256-every-file.mjs");
const FILES = 10_000;
const TOTAL_BYTES = 1024 ** 3;
const ENTRIES = 100_000;
const RUNS = 5;
const NOW = "2026-11-21T11:50:00Z";

export async function run() {
  const work = mkdtempSync(join(tmpdir(), "patchwarden-drift-bench-"));
  try {
    return await measureAll(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureAll(work) {
  // First, in a process that has not yet made and hashed two 1 GiB trees: what their garbage leaves
  // behind slowed this measurement by a fifth to two thirds in stop 18's runs, which is the bench's
  // doing, not the plan's.
  const large = await planOverLargeManifests(work);
  const local = join(work, "local");
  const remote = join(work, "remote");
  const started = performance.now();
  const bytes = generateTree(local);
  cpSync(local, remote, { recursive: true });
  const drift = driftTree(remote);
  console.log(`\ntrees: ${FILES.toLocaleString("en-US")} files, ${(bytes / 1024 ** 3).toFixed(2)} GiB each, under ${tmpdir()}; the remote copy has ${drift} (made in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const localManifest = join(work, "local.manifest.json");
  const remoteManifest = join(work, "remote.manifest.json");
  const rows = [];
  const floor = timeProcess("floor: find -type f -print0 | xargs -0 sha256sum", "sh", ["-c", `find "${local}" -type f -print0 | xargs -0 sha256sum > /dev/null`]);
  const manifest = timeProcess("patchwarden drift manifest (built CLI, one tree)", process.execPath, [BIN, "drift", "manifest", local, "--host", "local", "--out", localManifest]);
  timeProcess("(remote manifest, untimed)", process.execPath, [BIN, "drift", "manifest", remote, "--host", "remote", "--out", remoteManifest], 1);
  const library = await timeAsync("drift manifest in-process (scan + build + serialize)", async () => {
    const scan = await scanTree(local, { ignore: () => false });
    serializeManifest(buildManifest(scan.entries, { generatedAt: NOW, host: "local", root: local, ignore: [], generator: { name: "patchwarden", version: "bench" } }));
  });
  const plan10k = timeProcess("patchwarden drift plan of the two trees' manifests (built CLI)", process.execPath, [BIN, "drift", "plan", "--local", localManifest, "--remote", remoteManifest, "--now", NOW]);
  const policy = await readPolicy();
  const planLibrary = await timeAsync("drift plan in-process (both manifests read and verified, plan, JSON)", () =>
    JSON.stringify(buildPlan({ local: readChecked(localManifest), remote: readChecked(remoteManifest), rules: policy.drift, policy: { name: policy.name, digest: policy.digest }, now: Date.parse(NOW) })),
  );
  const startup = timeProcess("patchwarden --version (CLI start-up alone)", process.execPath, [BIN, "--version"]);
  const hashingPass = timeProcess("bare hashing pass: list + sha256 of every file on one thread per core, no checks, no output", process.execPath, [HASHING_PASS, local]);
  const bareNode = timeProcess("`node -e 0` (a Node process's start-up alone)", process.execPath, ["-e", "0"]);
  const rsync = rsyncRow(local, remote);
  rows.push(floor, manifest, library, plan10k, planLibrary, startup, hashingPass, bareNode);
  if (rsync !== null) rows.push(rsync);

  const planOut = JSON.parse(run1(process.execPath, [BIN, "drift", "plan", "--local", localManifest, "--remote", remoteManifest, "--now", NOW]).stdout);
  console.log(`\nthe plan of the two trees finds ${planOut.counts.changed} changed, ${planOut.counts.added} added, ${planOut.counts.removed} removed; risk ${planOut.risk}`);
  if (rsync !== null) console.log(`rsync itemizes ${rsync.lines} change(s) for the same trees`);

  console.log("\n### Manifest of a 10,000-file, 1 GB tree\n");
  console.log("| run | median | min | max |\n| --- | ---: | ---: | ---: |");
  for (const row of rows) console.log(`| ${row.name} | ${fmt(row.median)} | ${fmt(row.min)} | ${fmt(row.max)} |`);
  if (rsync === null) console.log("| rsync -rcn --delete --itemize-changes | skipped: rsync is not installed (apt-get install rsync) | | |");

  printLarge(large);

  let ok = true;
  console.log("");
  ok = check("manifest within 1.2× of the sha256sum floor (built CLI, median)", manifest.median <= 1.2 * floor.median, `${(manifest.median / floor.median).toFixed(2)}× (${fmt(manifest.median)} vs ${fmt(floor.median)})`) && ok;
  if (rsync !== null) {
    const lane = manifest.median + plan10k.median;
    ok = check("manifest + plan faster than rsync's checksum dry run (built CLI, medians)", lane < rsync.median, `${fmt(lane)} (manifest ${fmt(manifest.median)} + plan ${fmt(plan10k.median)}) vs rsync ${fmt(rsync.median)}: ${(lane / rsync.median).toFixed(2)}×`) && ok;
    const inProcess = library.median + planLibrary.median;
    console.log(`      in-process, without the CLI's start-up: ${fmt(inProcess)} (${(inProcess / rsync.median).toFixed(2)}× rsync); both trees' manifests on this one machine + plan (CLI): ${fmt(2 * manifest.median + plan10k.median)}`);
    // The hashing alone, plus the second process a plan needs doing nothing at all.
    const bound = hashingPass.median + bareNode.median;
    console.log(`      bound: sha256 of every file alone + one more Node start-up for the plan = ${fmt(bound)} (${(bound / rsync.median).toFixed(2)}× rsync): ${bound < rsync.median ? "below rsync: the target may be reachable on this machine" : "not below rsync: the hashing alone already takes longer than rsync's whole run"}`);
  } else {
    console.log("SKIP  manifest + plan faster than rsync: rsync is not installed, so there is nothing to compare with");
  }
  ok = check("plan over two 100,000-entry manifests under 300 ms, counting the reading and verifying of both files (in-process, median)", large.endToEnd.median < 300, fmt(large.endToEnd.median)) && ok;
  console.log(`      the plan itself, over the two manifests once read: ${fmt(large.planOnly.median)} (${large.planOnly.median < 300 ? "under" : "over"} 300 ms); reading one file: ${fmt(large.readOne.median)}`);
  return { ok, results: { rows, large } };
}

/** 10,000 files of 20–180% of the mean size, in 50 × 7 folders; content from one random block, each file stamped with its number. */
function generateTree(root) {
  const block = randomBytes(4 * 1024 * 1024);
  const mean = TOTAL_BYTES / FILES;
  let total = 0;
  for (let i = 0; i < FILES; i++) {
    const size = Math.floor(mean * (0.2 + (1.6 * ((i * 7919) % 1000)) / 1000));
    const dir = join(root, `d${String(i % 50).padStart(2, "0")}`, `s${i % 7}`);
    if (i < 350) mkdirSync(dir, { recursive: true });
    const offset = (i * 4099) % (block.length - size);
    const bytes = Buffer.from(block.subarray(offset, offset + size));
    bytes.writeUInt32LE(i, 0);
    writeFileSync(join(dir, `f${String(i).padStart(5, "0")}.bin`), bytes);
    total += size;
  }
  return total;
}

const fileOf = (root, i) => join(root, `d${String(i % 50).padStart(2, "0")}`, `s${i % 7}`, `f${String(i).padStart(5, "0")}.bin`);

/** Drift as a deploy sees it: 1% changed, 0.5% removed, 0.5% added, 0.2% with a new mode. */
function driftTree(root) {
  for (let i = 0; i < FILES; i += 100) writeFileSync(fileOf(root, i), readFileSync(fileOf(root, i)).fill(0x2a, 4, 64));
  for (let i = 1; i < FILES; i += 200) unlinkSync(fileOf(root, i));
  for (let i = 0; i < FILES / 200; i++) writeFileSync(join(root, `d00/s0/new-${i}.bin`), randomBytes(64 * 1024));
  for (let i = 3; i < FILES; i += 500) chmodSync(fileOf(root, i), 0o755);
  return `${FILES / 100} changed, ${FILES / 200} removed, ${FILES / 200} added, ${FILES / 500} with a new mode`;
}

function rsyncRow(local, remote) {
  const probe = spawnSync("rsync", ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    console.log("\nrsync is not installed: its row is skipped (install Debian's rsync with `apt-get install -y rsync` to compare)");
    return null;
  }
  console.log(`\n${probe.stdout.split("\n")[0]}; ${probe.stdout.split("\n").find((line) => /xxh|md5/.test(line))?.trim() ?? ""} (rsync -c uses the first both sides support)`);
  const row = timeProcess("rsync -rcn --delete --itemize-changes (both trees, Debian's rsync)", "rsync", ["-rcn", "--delete", "--itemize-changes", `${local}/`, `${remote}/`]);
  row.lines = run1("rsync", ["-rcn", "--delete", "--itemize-changes", `${local}/`, `${remote}/`]).stdout.split("\n").filter(Boolean).length;
  return row;
}

/** Two manifests of 100,000 entries (1% changed, 0.5% added, 0.5% removed), written as drift manifest writes them. */
async function planOverLargeManifests(work) {
  const policy = await readPolicy();
  const entries = (side) => {
    const out = [];
    for (let i = 0; i < ENTRIES; i++) {
      if (side === "local" && i % 200 === 1) continue;
      if (side === "remote" && i % 200 === 2) continue;
      const path = `srv/iskra-openclaw/${i % 20 === 0 ? "docs" : "lib"}/pkg-${String(i % 300).padStart(3, "0")}/module-${String(i).padStart(6, "0")}.${i % 20 === 0 ? "md" : "mjs"}`;
      const content = side === "remote" && i % 100 === 0 ? `old ${i}` : `content ${i}`;
      out.push({ path, type: "file", sha256: sha256Digest(content), size: content.length, mode: "0644" });
    }
    return out;
  };
  const meta = (host) => ({ generatedAt: NOW, host, root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "bench" } });
  const localFile = join(work, "local-100k.manifest.json");
  const remoteFile = join(work, "remote-100k.manifest.json");
  writeFileSync(localFile, serializeManifest(buildManifest(entries("local"), meta("local"))));
  writeFileSync(remoteFile, serializeManifest(buildManifest(entries("remote"), meta("remote"))));
  const size = statSync(localFile).size;
  const now = Date.parse(NOW);
  const ref = { name: policy.name, digest: policy.digest };
  const read = readChecked;
  const [l, r] = [read(localFile), read(remoteFile)];
  const planned = buildPlan({ local: l, remote: r, rules: policy.drift, policy: ref, now });
  const rows = [
    await timeAsync("plan only (buildPlan on two parsed manifests)", () => buildPlan({ local: l, remote: r, rules: policy.drift, policy: ref, now })),
    await timeAsync("read + parse + validate + verify digest, one manifest", () => read(localFile)),
    await timeAsync("end to end in-process: both manifests read and verified, plan, JSON", () => JSON.stringify(buildPlan({ local: read(localFile), remote: read(remoteFile), rules: policy.drift, policy: ref, now }))),
    timeProcess("patchwarden drift plan (built CLI, process start to exit)", process.execPath, [BIN, "drift", "plan", "--local", localFile, "--remote", remoteFile, "--now", NOW]),
  ];
  return { planOnly: rows[0], readOne: rows[1], endToEnd: rows[2], cli: rows[3], rows, title: `Plan over two 100,000-entry manifests (${(size / 1024 ** 2).toFixed(1)} MiB each; the plan lists ${planned.files.length} files; measured first)` };
}

function printLarge(large) {
  console.log(`\n### ${large.title}\n`);
  console.log("| run | median | min | max |\n| --- | ---: | ---: | ---: |");
  for (const row of large.rows) console.log(`| ${row.name} | ${fmt(row.median)} | ${fmt(row.min)} | ${fmt(row.max)} |`);
}

function readChecked(file) {
  const result = readManifest(readFileSync(file), file);
  if (!result.ok) throw new Error(`bench manifest ${file} invalid: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return result.value;
}

function run1(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return result;
}

/** A child process, timed from spawn to exit: one untimed warm-up, then RUNS timed runs. */
function timeProcess(name, command, args, runs = RUNS) {
  run1(command, args);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.status !== 0) throw new Error(`${name}: exited ${result.status}: ${result.stderr}`);
  }
  return summarize(name, samples);
}

async function timeAsync(name, fn, runs = RUNS) {
  await fn();
  globalThis.gc?.();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return summarize(name, samples);
}

function summarize(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, runs: sorted.length, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}
