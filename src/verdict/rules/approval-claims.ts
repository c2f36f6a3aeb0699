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
const AFFIRMATIVE = /^(?:true|yes|y|approved|granted|allow|allowed|ok)$/i;

/**
 * Approval belongs to the operator and reaches Patchwarden only through `queue approve`. A bundle
 * that claims approval is never taken at its word; the claim itself makes a human look.
 */
export const approvalClaimRule: Rule = ({ bundle }) => {
  const reasons: Reason[] = [];
  bundle.evidence.forEach((item, index) => {
    for (const claim of findApprovalClaims(item.data, [index, "data"])) {
      reasons.push(
        reason("approval_claim_ignored", `${describeItem(item, index)} claims approval at \`${claim.key}\` (${quote(claim.value)}); approval comes only from the operator, never from evidence, so it is ignored and a human must look`, {
          path: formatPath("bundle.evidence", claim.path),
          evidence: evidenceRef(item, index),
        }),
      );
    }
  });
  return reasons;
};

interface Claim {
  key: string;
  value: unknown;
  path: Array<string | number>;
}

function findApprovalClaims(value: unknown, root: Array<string | number>): Claim[] {
  const claims: Claim[] = [];
  // One mutable path, copied only when a claim is found: bundles can hold tens of thousands of nodes.
  const path = [...root];
  // Recursion is safe: parsing refuses documents nested deeper than MAX_DOCUMENT_DEPTH.
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      return;
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue;
      const child = (node as Record<string, unknown>)[key];
      path.push(key);
      if (isClaim(key.toLowerCase(), child)) claims.push({ key, value: child, path: [...path] });
      else walk(child);
      path.pop();
    }
  };
  walk(value);
  return claims;
}

function isClaim(key: string, value: unknown): boolean {
  if (APPROVAL_FLAG_KEYS.has(key)) {
    return value === true || value === 1 || (typeof value === "string" && AFFIRMATIVE.test(value.trim()));
  }
  if (APPROVER_KEYS.has(key)) return typeof value === "string" ? value.trim().length > 0 : value !== null && value !== false && value !== undefined;
  return false;
}
