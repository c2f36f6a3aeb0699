import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { describeFsError, readFileBounded } from "../fsutil/read-bounded.js";
import { DEFAULT_LIMITS, type ArtifactBytes, type BundleLimits } from "./artifact-bytes.js";
import type { EvaluationInput } from "./evaluation-input.js";
import { openBundle } from "./open-bundle.js";
import { KIT_BUNDLE_FILE } from "./safe-update/kit-schemas.js";
import { snapshotToInput, type EvidenceSnapshot } from "./snapshot.js";


/**
 * The file-system edge: a bundle file, or a safe-update run folder → an EvaluationInput.
 * Never throws for bad evidence; an unreadable bundle is an input that the engine blocks.
 */
export async function readEvidence(path: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<EvaluationInput> {
  return snapshotToInput(await readEvidenceSnapshot(path, limits), limits);
}

export async function readEvidenceSnapshot(path: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<EvidenceSnapshot> {
  let bundleFile = path;
  try {
    if ((await stat(path)).isDirectory()) bundleFile = join(path, KIT_BUNDLE_FILE);
  } catch (error) {
    return unread(path, path, `cannot read \`${path}\` (${describeFsError(error)}); check the path and that Patchwarden may read it`);
  }
  const read = await readFileBounded(bundleFile, limits.maxBundleBytes);
  if (!read.ok) {
    return read.tooLarge
      ? { ...unread(bundleFile, bundleFile, `\`${bundleFile}\` is ${read.problem}; keep large artifacts outside the bundle and reference them by sha256`), problemCode: "bundle_too_large" }
      : unread(bundleFile, bundleFile, `cannot read \`${bundleFile}\` (${read.problem}); check the path and that Patchwarden may read it`);
  }
  const name = basename(bundleFile);
  const opened = openBundle(name, read.bytes, limits);
  const folder = dirname(bundleFile);
  const artifacts = new Map<string, ArtifactBytes>();
  for (const relative of opened.artifactPaths) artifacts.set(relative, await readArtifact(folder, relative, limits));
  return { origin: bundleFile, name, bundle: read.bytes, artifacts };
}

function unread(origin: string, name: string, problem: string): EvidenceSnapshot {
  return { origin, name: basename(name), bundle: null, problem, artifacts: new Map() };
}

/** Artifact paths are validated relative paths; the real path must still stay inside the folder (no symlink escapes). */
async function readArtifact(folder: string, relative: string, limits: BundleLimits): Promise<ArtifactBytes> {
  let real: string;
  let realFolder: string;
  try {
    realFolder = await realpath(folder);
    real = await realpath(join(folder, relative));
  } catch (error) {
    return { ok: false, problem: describeFsError(error) };
  }
  if (!real.startsWith(realFolder + sep)) return { ok: false, problem: "it resolves outside the bundle's folder" };
  const read = await readFileBounded(real, limits.maxArtifactBytes);
  return read.ok ? read : { ok: false, problem: read.problem };
}
