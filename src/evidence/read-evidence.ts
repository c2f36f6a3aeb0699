import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { describeFsError, readFileBounded } from "../fsutil/read-bounded.js";
import { ArtifactBudget, DEFAULT_LIMITS, type ArtifactBytes, type BundleLimits } from "./artifact-bytes.js";
import type { EvaluationInput } from "./evaluation-input.js";
import { openBundle } from "./open-bundle.js";
import { isInside, readInside, type InsideRead } from "./read-inside.js";
import { KIT_BUNDLE_FILE } from "./safe-update/kit-schemas.js";
import { snapshotToInput, type EvidenceSnapshot } from "./snapshot.js";

export interface ReadEvidenceOptions {
  /** A resolved folder the evidence must lie inside (the folder `--latest-in` picked it from). */
  within?: string;
}

/**
 * The file-system edge: a bundle file, or a safe-update run folder → an EvaluationInput.
 * Never throws for bad evidence; an unreadable bundle is an input that the engine blocks.
 */
export async function readEvidence(path: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<EvaluationInput> {
  return snapshotToInput(await readEvidenceSnapshot(path, limits), limits);
}

export async function readEvidenceSnapshot(path: string, limits: BundleLimits = DEFAULT_LIMITS, options: ReadEvidenceOptions = {}): Promise<EvidenceSnapshot> {
  const cannotRead = (file: string, problem: string) => unread(file, `cannot read \`${file}\` (${problem}); check the path and that Patchwarden may read it`);
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    return cannotRead(path, describeFsError(error));
  }
  const bundleFile = isFolder ? join(path, KIT_BUNDLE_FILE) : path;
  // A run folder's bundle must be its own: a link out of it could name any file, even a secret.
  let container = options.within;
  if (isFolder) {
    try {
      container = await realpath(path);
    } catch (error) {
      return cannotRead(path, describeFsError(error));
    }
    if (options.within !== undefined && !isInside(options.within, container)) return unread(path, leavesFolder(path, "the evidence folder"));
  }
  const read = container === undefined ? await readAnywhere(bundleFile, limits.maxBundleBytes) : await readInside(container, bundleFile, limits.maxBundleBytes);
  if (!read.ok) {
    if (read.outside) return unread(bundleFile, leavesFolder(bundleFile, isFolder ? `its run folder \`${path}\`` : "the evidence folder"));
    if (read.replaced === true) {
      // Permissions are not the problem: a writer renamed a new bundle over this one mid-read.
      return { ...unread(bundleFile, `\`${bundleFile}\` was replaced while it was read, so what was read may not be one whole bundle; run the check again (the newest bundle in a folder is read again for up to 10 s)`), replacedWhileRead: true };
    }
    return read.tooLarge
      ? { ...unread(bundleFile, `\`${bundleFile}\` is ${read.problem}; keep large artifacts outside the bundle and reference them by sha256`), problemCode: "bundle_too_large" }
      : cannotRead(bundleFile, read.problem);
  }
  const name = basename(bundleFile);
  const opened = openBundle(name, read.bytes, limits);
  const artifacts = new Map<string, ArtifactBytes>();
  if (opened.artifactPaths.length > 0) {
    const folder = await realpath(dirname(bundleFile)).catch((error: unknown) => ({ problem: describeFsError(error) }));
    const budget = new ArtifactBudget(limits);
    for (const relative of opened.artifactPaths) artifacts.set(relative, await budget.read(() => readArtifact(folder, relative, limits)));
  }
  return { origin: bundleFile, name, bundle: read.bytes, artifacts };
}

/** A bundle file named on the command line: the operator chose it, wherever it is. */
async function readAnywhere(file: string, maxBytes: number): Promise<InsideRead> {
  const read = await readFileBounded(file, maxBytes);
  return read.ok ? { ok: true, bytes: read.bytes } : { ...read, outside: false };
}

function unread(file: string, problem: string): EvidenceSnapshot {
  return { origin: file, name: basename(file), bundle: null, problem, artifacts: new Map() };
}

/** Names the link only: what it leads to may be a secret, and its path is none of the verdict's business. */
function leavesFolder(path: string, folder: string): string {
  return `\`${path}\` leads outside ${folder} (a symbolic link); the gate reads only what is inside, so put the bundle itself there`;
}

/** Artifact paths are validated relative paths; the real path must still stay inside the folder (no symlink escapes). */
async function readArtifact(folder: string | { problem: string }, relative: string, limits: BundleLimits): Promise<ArtifactBytes> {
  if (typeof folder !== "string") return { ok: false, problem: folder.problem };
  const read = await readInside(folder, join(folder, relative), limits.maxArtifactBytes);
  if (!read.ok) return { ok: false, problem: read.outside ? "it resolves outside the bundle's folder" : read.problem };
  return { ok: true, bytes: read.bytes };
}
