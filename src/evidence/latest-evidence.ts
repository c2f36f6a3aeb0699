import type { Dirent } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { describeFsError } from "../fsutil/read-bounded.js";
import { DEFAULT_LIMITS, type BundleLimits } from "./artifact-bytes.js";
import { isInside } from "./read-inside.js";
import { KIT_BUNDLE_FILE } from "./safe-update/kit-schemas.js";
import { readSettled, type SettleOptions } from "./settle-bundle.js";
import type { EvidenceSnapshot } from "./snapshot.js";
import { formatIsoTime } from "../time/iso-time.js";

export type { SettleOptions } from "./settle-bundle.js";

const BUNDLE_FILE = /\.(json|ya?ml)$/i;
// File times a little ahead of the clock are normal across file systems and hosts.
const FUTURE_SLACK_MS = 5_000;

export interface EvidenceCandidate {
  path: string;
  /** epoch ms: the bundle file's modification time (for a run folder, its evidence-bundle.json's) */
  modifiedAt: number;
  /** The file whose writing must have settled before it is judged. */
  bundleFile?: string;
  /** Why this entry cannot be judged; taken as the newest, it blocks rather than being skipped. */
  problem?: string;
}

/**
 * The newest evidence in a folder Iskra writes into: a bundle file (`*.json`, `*.yaml`, `*.yml`) or
 * a safe-update run folder (one holding `evidence-bundle.json`), by the bundle file's modification
 * time; ties go to the name that sorts last. Hidden entries (`.name`, editors' and writers'
 * temporary files) are skipped. Nothing found, or an unreadable folder, is a snapshot the engine
 * blocks (`bundle_not_found` / `bundle_unreadable`), so the hourly gate fails closed and says where
 * it looked. So is a newest entry it cannot read or that leads outside the folder: an older bundle
 * is never judged in its place, and so is a newest entry dated ahead of the clock, whose time cannot
 * rank it. The newest bundle is judged only once it has settled (`readSettled`);
 * `settle` replaces the real clock and sleeping in tests.
 */
export async function readLatestEvidence(folder: string, limits: BundleLimits = DEFAULT_LIMITS, settle: SettleOptions = {}): Promise<EvidenceSnapshot> {
  let entries: Dirent[];
  let realFolder: string;
  try {
    entries = await readdir(folder, { withFileTypes: true });
    realFolder = await realpath(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      origin: folder,
      name: "bundle",
      bundle: null,
      problemCode: code === "ENOENT" ? "bundle_not_found" : "bundle_unreadable",
      problem: `cannot read the evidence folder \`${folder}\` (${describeFsError(error)}); check that Iskra writes its bundles there and that Patchwarden may read it`,
      artifacts: new Map(),
    };
  }
  const found: EvidenceCandidate[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const candidate = await candidateOf(folder, realFolder, entry.name);
    if (candidate !== null) found.push(candidate);
  }
  const newest = pickNewest(found);
  if (newest === null) {
    return {
      origin: folder,
      name: "bundle",
      bundle: null,
      problemCode: "bundle_not_found",
      problem: `no evidence bundle in \`${folder}\`: expected a \`*.json\` or \`*.yaml\` bundle, or a safe-update run folder holding \`${KIT_BUNDLE_FILE}\``,
      artifacts: new Map(),
    };
  }
  if (newest.problem !== undefined) {
    return { origin: newest.path, name: basename(newest.path), bundle: null, problemCode: "bundle_unreadable", problem: newest.problem, artifacts: new Map() };
  }
  // A time ahead of the clock (a clock stepped back, `cp -p` from a host running ahead) would rank
  // this entry above every bundle written until the clock catches up: no time can say which is newest.
  const clock = settle.clock ?? Date.now;
  const now = clock();
  if (newest.modifiedAt > now + FUTURE_SLACK_MS) {
    return {
      origin: newest.path,
      name: basename(newest.path),
      bundle: null,
      problemCode: "bundle_unreadable",
      problem: `\`${newest.bundleFile ?? newest.path}\` is dated ${formatIsoTime(newest.modifiedAt)}, after this host's clock (${formatIsoTime(now)}), so the newest evidence in \`${folder}\` cannot be told by time; fix the clock of the host that wrote it, or give the file its real time (\`touch\`)`,
      artifacts: new Map(),
    };
  }
  return readSettled(newest.path, newest.bundleFile ?? newest.path, { within: realFolder, limits }, settle);
}

// Only absence means "not a bundle". Any other failure (permission denied, a link loop) may hide
// the newest evidence, so the entry stays a candidate that blocks.
const isAbsent = (error: unknown): boolean => ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/** One folder entry as a candidate, or null when it is not evidence. Symbolic links are followed only within the folder. */
async function candidateOf(folder: string, realFolder: string, name: string): Promise<EvidenceCandidate | null> {
  const path = join(folder, name);
  const skipOrBlock = (error: unknown, modifiedAt: number): EvidenceCandidate | null =>
    isAbsent(error)
      ? null
      : { path, modifiedAt, problem: `cannot read \`${path}\` (${describeFsError(error)}); let Patchwarden read it, or remove it: the newest evidence is never skipped for an older one` };
  // Not even its own time known: it may be the newest.
  const own = await attempt(lstat(path));
  if (!own.ok) return skipOrBlock(own.error, Number.POSITIVE_INFINITY);
  const linkTime = own.value.mtimeMs;
  const info = await attempt(stat(path));
  if (!info.ok) return skipOrBlock(info.error, linkTime);
  const isFolder = info.value.isDirectory();
  // Whatever else is named like a bundle is one: a FIFO or a device there blocks when read.
  if (!isFolder && !BUNDLE_FILE.test(name)) return null;
  const real = await attempt(realpath(path));
  if (!real.ok) return skipOrBlock(real.error, linkTime);

  if (isFolder) {
    const bundleFile = join(path, KIT_BUNDLE_FILE);
    const bundle = await attempt(stat(bundleFile));
    if (!bundle.ok) return skipOrBlock(bundle.error, linkTime);
    const latest = Math.max(linkTime, bundle.value.mtimeMs);
    if (!isInside(realFolder, real.value)) return leaving(path, `the evidence folder \`${folder}\``, latest);
    const realBundle = await attempt(realpath(bundleFile));
    if (!realBundle.ok) return skipOrBlock(realBundle.error, linkTime);
    if (!isInside(real.value, realBundle.value)) return leaving(bundleFile, `its run folder \`${path}\``, latest);
    return { path, modifiedAt: bundle.value.mtimeMs, bundleFile };
  }
  if (!isInside(realFolder, real.value)) return leaving(path, `the evidence folder \`${folder}\``, Math.max(linkTime, info.value.mtimeMs));
  return { path, modifiedAt: info.value.mtimeMs, bundleFile: path };
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function attempt<T>(step: Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await step };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * A link out of the folder: named, never followed to its content, which could be Patchwarden's own
 * secret. Ranked by the later of the link's and its target's times, so it cannot hide behind an
 * older bundle.
 */
function leaving(path: string, folder: string, modifiedAt: number): EvidenceCandidate {
  return {
    path,
    modifiedAt,
    problem: `\`${path}\` leads outside ${folder} (a symbolic link); the gate reads only what is inside, so put the bundle or run folder itself there (a link to a run folder inside the folder is fine)`,
  };
}

/** Pure: the newest candidate; equal times go to the name that sorts last (run folders are named by time). */
export function pickNewest(found: readonly EvidenceCandidate[]): EvidenceCandidate | null {
  let best: EvidenceCandidate | null = null;
  for (const candidate of found) {
    if (best === null || candidate.modifiedAt > best.modifiedAt || (candidate.modifiedAt === best.modifiedAt && candidate.path > best.path)) best = candidate;
  }
  return best;
}
