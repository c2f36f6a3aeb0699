import { formatPath, quote } from "../../diagnostics/diagnostic.js";
import { describeItem, evidenceRef, reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";
import { claimKeyKind, isClaimValue, normalizeKey, type ClaimKeyKind } from "./approval-claim-keys.js";

/**
 * Approval belongs to the operator and reaches Patchwarden only through `queue approve`. A bundle
 * that claims approval is never taken at its word; the claim itself makes a human look.
 */
export const approvalClaimRule: Rule = ({ bundle }) => {
  const reasons: Reason[] = [];
  const claims: Claim[] = [];
  const evidence = bundle.evidence;
  for (let index = 0; index < evidence.length; index++) {
    const item = evidence[index]!;
    claims.length = 0;
    collectClaims(item.data, [index, "data"], claims);
    for (const claim of claims) {
      reasons.push(
        reason("approval_claim_ignored", `${describeItem(item, index)} claims approval at \`${claim.key}\` (${quote(claim.value)}); approval comes only from the operator, never from evidence, so it is ignored and a human must look`, {
          path: formatPath("bundle.evidence", claim.path),
          evidence: evidenceRef(item, index),
        }),
      );
    }
  }
  return reasons;
};

interface Claim {
  key: string;
  value: unknown;
  path: Array<string | number>;
}

/**
 * Depth-first over one item's data. `path` is one mutable array, copied only when a claim is
 * found: bundles can hold tens of thousands of nodes. Recursion is safe: parsing refuses
 * documents nested deeper than MAX_DOCUMENT_DEPTH.
 */
function collectClaims(node: unknown, path: Array<string | number>, claims: Claim[]): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i];
      if (child !== null && typeof child === "object") {
        path.push(i);
        collectClaims(child, path, claims);
        path.pop();
      }
    }
    return;
  }
  // for-in allocates no key array; an inherited enumerable key (a polluted prototype) could only
  // add a claim, which holds the verdict for a human: the safe direction.
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const child = record[key];
    const kind = kindOf(key);
    if (kind !== null && isClaimValue(kind, child)) {
      claims.push({ key, value: child, path: [...path, key] });
    } else if (child !== null && typeof child === "object") {
      path.push(key);
      collectClaims(child, path, claims);
      path.pop();
    }
  }
}

/**
 * Each raw key's kind, remembered across evaluations: it depends on the key alone, and producers
 * send the same few hundred keys bundle after bundle (a large bundle repeats some thousands of
 * times), where normalising each one would cost more than the walk. Bounded, so that hostile input
 * costs time, never memory: short keys only, and emptied when full.
 */
const KIND_MEMO = new Map<string, ClaimKeyKind | null>();
const MEMO_MAX_ENTRIES = 4096;
const MEMO_MAX_KEY_LENGTH = 64;

function kindOf(key: string): ClaimKeyKind | null {
  const known = KIND_MEMO.get(key);
  if (known !== undefined) return known;
  const kind = claimKeyKind(normalizeKey(key));
  if (key.length <= MEMO_MAX_KEY_LENGTH) {
    if (KIND_MEMO.size >= MEMO_MAX_ENTRIES) KIND_MEMO.clear();
    KIND_MEMO.set(key, kind);
  }
  return kind;
}
