import { canonicalJson } from "../integrity/canonical-json.js";
import { sha256Digest, type Sha256Digest } from "../integrity/digest.js";

/**
 * A plan's own digest: sha256 of the canonical JSON of the plan without its `digest` key. It pins
 * the plan an operator accepts. It is not a signature: anyone can recompute it, so the gate also
 * re-judges every file against its own policy rather than trusting the plan's labels.
 */
export function planDigest(plan: Readonly<Record<string, unknown>>): Sha256Digest {
  const { digest: _ignored, ...content } = plan;
  return sha256Digest(canonicalJson(content));
}
