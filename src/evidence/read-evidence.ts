import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { describeFsError, readFileBounded } from "../fsutil/read-bounded.js";
import { DEFAULT_LIMITS, type ArtifactBytes, type BundleLimits } from "./artifact-bytes.js";
import type { EvaluationInput } from "./evaluation-input.js";
import { assembleInput, openBundle, unreadableInput } from "./open-bundle.js";

const KIT_BUNDLE_FILE = "evidence-bundle.json";

/**
 * The file-system edge: a bundle file, or a safe-update run folder → an EvaluationInput.
 * Never throws for bad evidence; an unreadable bundle is an input that the engine blocks.
 */
export async function readEvidence(path: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<EvaluationInput> {
  let bundleFile = path;
  try {
    if ((await stat(path)).isDirectory()) bundleFile = join(path, KIT_BUNDLE_FILE);
  } catch (error) {
    return unreadableInput(path, describeFsError(error));
  }
  const read = await readFileBounded(bundleFile, limits.maxBundleBytes);
  if (!read.ok) {
    if (read.tooLarge) {
      return { format: "unrecognised", digest: null, bundle: null, artifacts: [], findings: [{ code: "bundle_too_large", path: "bundle", message: `\`${bundleFile}\` is ${read.problem}; keep large artifacts outside the bundle and reference them by sha256` }] };
    }
    return unreadableInput(bundleFile, read.problem);
  }
  const opened = openBundle(basename(bundleFile), read.bytes, limits);
  const folder = dirname(bundleFile);
  const artifacts = new Map<string, ArtifactBytes>();
  for (const relative of opened.artifactPaths) artifacts.set(relative, await readArtifact(folder, relative, limits));
  return assembleInput(opened, artifacts, limits);
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
