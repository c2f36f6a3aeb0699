import { formatBytes } from "../document/parse-document.js";

/** What an edge (file system, Forgejo) could read of an artifact a bundle names. */
export type ArtifactBytes = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

export interface BundleLimits {
  maxBundleBytes: number;
  maxArtifactBytes: number;
  /** All of one bundle's artifacts together: each is read and held until the verdict is written. */
  maxTotalArtifactBytes: number;
}

// Large enough for real evidence (a 1 MB bundle is benchmarked), small enough that a hostile
// upload cannot exhaust a small host's memory. The total admits eight artifacts at their limit.
export const DEFAULT_LIMITS: BundleLimits = { maxBundleBytes: 8 * 1024 * 1024, maxArtifactBytes: 8 * 1024 * 1024, maxTotalArtifactBytes: 64 * 1024 * 1024 };

/**
 * Keeps the sum of one bundle's artifacts within maxTotalArtifactBytes. The per-artifact cap alone
 * does not: a bundle may name thousands of paths, and paths to one big file cost nothing to make
 * (links in a folder, tree entries sharing a blob). The artifact that would pass the total, and
 * every one after it, is refused (so blocked as unread, never dropped), and those after it are not
 * even read: past the total nothing more is fetched.
 */
export class ArtifactBudget {
  private held = 0;
  private spent = false;

  constructor(private readonly limits: BundleLimits) {}

  /** Reads the next artifact through `readArtifact`, unless the total was passed before. */
  async read(readArtifact: () => Promise<ArtifactBytes>): Promise<ArtifactBytes> {
    if (this.spent) return this.refusal();
    const read = await readArtifact();
    if (!read.ok) return read;
    if (this.held + read.bytes.byteLength > this.limits.maxTotalArtifactBytes) {
      this.spent = true;
      return this.refusal();
    }
    this.held += read.bytes.byteLength;
    return read;
  }

  private refusal(): ArtifactBytes {
    return { ok: false, problem: `the bundle's artifacts exceed ${formatBytes(this.limits.maxTotalArtifactBytes)} in total, the gate's limit; split the evidence over several bundles` };
  }
}
