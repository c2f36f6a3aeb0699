/** What an edge (file system, Forgejo) could read of an artifact a bundle names. */
export type ArtifactBytes = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

export interface BundleLimits {
  maxBundleBytes: number;
  maxArtifactBytes: number;
}

// Large enough for real evidence (a 1 MB bundle is benchmarked), small enough that a hostile
// upload cannot exhaust a small host's memory.
export const DEFAULT_LIMITS: BundleLimits = { maxBundleBytes: 8 * 1024 * 1024, maxArtifactBytes: 8 * 1024 * 1024 };
