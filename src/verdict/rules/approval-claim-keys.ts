/**
 * What in evidence data counts as a claim of approval. Deliberately broad: a false claim costs a
 * human look (`needs_human`), a missed one lets evidence speak for the operator unnoticed.
 *
 * Keys are compared by their letters only (see normalizeKey), so `approvedBy`, `approved-by`,
 * `approved_by` and `APPROVED BY` are one key. Values are claims unless they plainly say "no".
 */

/**
 * `approver`: the key names who approved, or when (a name, an id, a time); `flag`: the key says
 * whether approval was given (a yes/no, a status, or the approval record itself).
 */
export type ClaimKeyKind = "approver" | "flag";

const NON_LETTERS = /[^a-z]/g;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Who approved or accepted, or when: `approved_by`, `approverId`, `accepted_by`, `approved_at`. */
const APPROVER_KEY = /approver|(?:approv(?:ed|al)|accepted|authori[sz]ed)by|approv(?:ed|al)(?:at|on|time|date)$/;
/**
 * Keys that describe a requirement for approval (`approval_required`, `requires_approval`,
 * `required_approvals`, `needs_approval`, `required_approver`): policy descriptors, whatever
 * their value, not a claim that approval was given. Checked first, and only these exact
 * spellings: a key that merely contains "required" (`approval_requirements_met`) is a claim.
 * Their values are still searched, so a claim nested inside one is found.
 */
const REQUIREMENT_KEYS = new Set([
  "approvalrequired",
  "approvalsrequired",
  "approverrequired",
  "approversrequired",
  "requiresapproval",
  "requiresapprovals",
  "requiredapproval",
  "requiredapprovals",
  "requiredapprover",
  "requiredapprovers",
  "needsapproval",
  "needapproval",
  "approvalneeded",
]);
/** `production_apply_allowed`, `apply_allowed`: the safe-update kit's words for permission to apply. */
const APPLY_ALLOWED = "applyallowed";

/**
 * Words a flag uses for "no" or "nothing", compared trimmed and lowercased. Anything else is a
 * claim: "on", "1", "true.", "pending", "Approved by operator" all are.
 */
const NEGATIVE_WORDS = new Set(["", "false", "no", "n", "off", "0", "none", "null", "nil", "n/a", "na"]);

/**
 * Lowercased letters a–z only. NFKC first, so fullwidth or ligature forms turn into the ASCII
 * letters they look like instead of being stripped; ASCII keys (nearly all) skip that cost.
 */
export function normalizeKey(key: string): string {
  const folded = ASCII_ONLY.test(key) ? key : key.normalize("NFKC");
  return folded.toLowerCase().replace(NON_LETTERS, "");
}

/** How a normalised key claims approval, or null when it is not an approval key. */
export function claimKeyKind(normalized: string): ClaimKeyKind | null {
  if (REQUIREMENT_KEYS.has(normalized)) return null;
  if (APPROVER_KEY.test(normalized)) return "approver";
  if (normalized.includes("approv") || normalized.includes(APPLY_ALLOWED)) return "flag";
  return null;
}

/**
 * Whether a value under an approval key claims approval. An approver key claims with any value
 * but null, false or a blank string (a name, an id, even 0: uid 0 is root). A flag claims unless
 * its value says no: false, null, 0, an empty object or array, or one of NEGATIVE_WORDS. Any
 * other object or array under a flag (`{status: "approved"}`, `[true]`) is a claim as a whole.
 */
export function isClaimValue(kind: ClaimKeyKind, value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "string") return kind === "approver" ? value.trim().length > 0 : !NEGATIVE_WORDS.has(value.trim().toLowerCase());
  if (kind === "approver") return true;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "object") return !isEmpty(value);
  return true;
}

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}
