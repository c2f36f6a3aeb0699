import type { Sha256Digest } from "../integrity/digest.js";
import type { ReasonCode } from "../verdict/reason-codes.js";
import type { EvidenceBundle } from "./bundle-schema.js";

export type BundleFormat = "patchwarden.evidence_bundle.v1" | "openclaw.safe_update.evidence_bundle.v1" | "unrecognised";

/** A problem found while reading the input, before any rule ran. */
export interface InputFinding {
  code: ReasonCode;
  path: string;
  message: string;
  evidenceIndex?: number;
}

/** The digest of an artifact as declared by the bundle and as observed in the bytes we were given. */
export interface ArtifactCheck {
  evidenceIndex: number;
  path: string;
  declared: Sha256Digest;
  /** null when the artifact could not be read; `problem` says why. */
  observed: Sha256Digest | null;
  problem?: string;
}

/**
 * Everything the verdict engine needs about one bundle, as plain data. The edges (CLI, server,
 * Forgejo client) read bytes and build this; the engine never reads a file or the network.
 */
export interface EvaluationInput {
  format: BundleFormat;
  /** sha256 of the bundle document's bytes, or null when no bytes could be read. */
  digest: Sha256Digest | null;
  bundle: EvidenceBundle | null;
  findings: InputFinding[];
  artifacts: ArtifactCheck[];
}
