import { formatPath, quote } from "../../diagnostics/diagnostic.js";
import { describeItem, evidenceRef, reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

const APPROVAL_FLAG_KEYS = new Set([
  "approved",
  "approval",
  "operator_approval",
  "operator_approved",
  "human_approved",
  "production_apply_allowed",
  "apply_allowed",
  "auto_approve",
  "auto_approved",
]);
const APPROVER_KEYS = new Set(["approved_by", "approver", "approved_at"]);
const CLAIM_KEYS = [...APPROVAL_FLAG_KEYS, ...APPROVER_KEYS];
const SHORTEST_KEY = Math.min(...CLAIM_KEYS.map((k) => k.length));
const LONGEST_KEY = Math.max(...CLAIM_KEYS.map((k) => k.length));
const AFFIRMATIVE = /^(?:true|yes|y|approved|granted|allow|allowed|ok)$/i;

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
    if (key.length >= SHORTEST_KEY && key.length <= LONGEST_KEY && isClaim(key.toLowerCase(), child)) {
      claims.push({ key, value: child, path: [...path, key] });
    } else if (child !== null && typeof child === "object") {
      path.push(key);
      collectClaims(child, path, claims);
      path.pop();
    }
  }
}

function isClaim(key: string, value: unknown): boolean {
  if (APPROVAL_FLAG_KEYS.has(key)) {
    return value === true || value === 1 || (typeof value === "string" && AFFIRMATIVE.test(value.trim()));
  }
  if (APPROVER_KEYS.has(key)) return typeof value === "string" ? value.trim().length > 0 : value !== null && value !== false && value !== undefined;
  return false;
}
