import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeFsError } from "../fsutil/read-bounded.js";
import { DEFAULT_LIMITS, type BundleLimits } from "./artifact-bytes.js";
import { readEvidenceSnapshot } from "./read-evidence.js";
import { KIT_BUNDLE_FILE } from "./safe-update/kit-schemas.js";
import type { EvidenceSnapshot } from "./snapshot.js";

const BUNDLE_FILE = /\.(json|ya?ml)$/i;

export interface EvidenceCandidate {
  path: string;
  /** epoch ms: the bundle file's modification time (for a run folder, its evidence-bundle.json's) */
  modifiedAt: number;
}

/**
 * The newest evidence in a folder Iskra writes into: a bundle file (`*.json`, `*.yaml`, `*.yml`) or
 * a safe-update run folder (one holding `evidence-bundle.json`), by the bundle file's modification
 * time; ties go to the name that sorts last. Hidden entries (`.name`, editors' and writers'
 * temporary files) are skipped. Nothing found, or an unreadable folder, is a snapshot the engine
 * blocks (`bundle_not_found` / `bundle_unreadable`), so the hourly gate fails closed and says where
 * it looked.
 */
export async function readLatestEvidence(folder: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<EvidenceSnapshot> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
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
  const newest = pickNewest(await candidates(folder, entries));
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
  return readEvidenceSnapshot(newest.path, limits);
}

async function candidates(folder: string, entries: readonly Dirent[]): Promise<EvidenceCandidate[]> {
  const found: EvidenceCandidate[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    // Symbolic links are followed (a `latest` link is a common layout); what they point at decides.
    const info = await stat(path).catch(() => null);
    if (info === null) continue;
    if (info.isFile() && BUNDLE_FILE.test(entry.name)) {
      found.push({ path, modifiedAt: info.mtimeMs });
    } else if (info.isDirectory()) {
      const bundle = await stat(join(path, KIT_BUNDLE_FILE)).catch(() => null);
      if (bundle?.isFile() === true) found.push({ path, modifiedAt: bundle.mtimeMs });
    }
  }
  return found;
}

/** Pure: the newest candidate; equal times go to the name that sorts last (run folders are named by time). */
export function pickNewest(found: readonly EvidenceCandidate[]): EvidenceCandidate | null {
  let best: EvidenceCandidate | null = null;
  for (const candidate of found) {
    if (best === null || candidate.modifiedAt > best.modifiedAt || (candidate.modifiedAt === best.modifiedAt && candidate.path > best.path)) best = candidate;
  }
  return best;
}
