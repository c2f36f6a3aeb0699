import { quote } from "../diagnostics/diagnostic.js";
import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";
import { DEFAULT_LIMITS, type ArtifactBytes, type BundleLimits } from "./artifact-bytes.js";
import type { EvaluationInput } from "./evaluation-input.js";
import { assembleInput, openBundle } from "./open-bundle.js";

/**
 * The exact bytes one verdict judged: the bundle document and every artifact it named, as read.
 * Edges (file system, Forgejo) produce snapshots; the queue keeps them by digest so `approve` and
 * `replay` judge the very same bytes again.
 */
export interface EvidenceSnapshot {
  /** Where it came from, for people: `issue owner/repo#3, attachment evidence-bundle.json`. */
  origin: string;
  /** File or attachment name of the bundle document (it picks JSON or YAML). */
  name: string;
  /** null when the bundle itself could not be read; `problem` says why. */
  bundle: Uint8Array | null;
  problem?: string;
  /** The finding code for an unread bundle (default `bundle_unreadable`). */
  problemCode?: "bundle_unreadable" | "bundle_too_large" | "bundle_not_found";
  /** The bundle file was replaced while it was read: reading it again may find the whole new one. */
  replacedWhileRead?: true;
  artifacts: ReadonlyMap<string, ArtifactBytes>;
}

/** Pure: snapshot → engine input. An unread bundle becomes a blocked input, never an exception. */
export function snapshotToInput(snapshot: EvidenceSnapshot, limits: BundleLimits = DEFAULT_LIMITS): EvaluationInput {
  if (snapshot.bundle === null) {
    return {
      format: "unrecognised",
      digest: null,
      bundle: null,
      artifacts: [],
      // The problem quotes what it echoes; a line break or control that got past that still forges nothing.
      findings: [{ code: snapshot.problemCode ?? "bundle_unreadable", path: "bundle", message: (snapshot.problem ?? `cannot read ${quote(snapshot.origin, 300)}`).replace(UNSAFE_CHARACTERS, " ") }],
    };
  }
  return assembleInput(openBundle(snapshot.name, snapshot.bundle, limits), snapshot.artifacts, limits);
}
