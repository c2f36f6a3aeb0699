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

const ASCII_ONLY = /^[\x00-\x7f]*$/;

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
 * Cyrillic and Greek letters that look like Latin ones (after lowercasing), each to the letter it
 * is read as: `аpproved_by` with a Cyrillic а is read as `approved_by` by an operator, so it is
 * judged as one. From Unicode's confusables list, the letters of the Latin alphabet only.
 */
const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  "\u0430": "a", "\u0432": "b", "\u0441": "c", "\u0501": "d", "\u0435": "e", "\u0451": "e", "\u0261": "g", "\u04bb": "h", "\u043d": "h",
  "\u0456": "i", "\u0457": "i", "\u0458": "j", "\u043a": "k", "\u04cf": "l", "\u043c": "m", "\u043f": "n", "\u043e": "o",
  "\u0440": "p", "\u051b": "q", "\u0433": "r", "\u0455": "s", "\u0442": "t", "\u0446": "u", "\u0475": "v", "\u051d": "w",
  "\u0445": "x", "\u0443": "y", "\u04af": "y", "\u0437": "z",
  // Greek (ς: NFKD turns the lunate sigma ϲ, read as c, into it)
  "\u03b1": "a", "\u03b2": "b", "\u03c2": "c", "\u03b5": "e", "\u03b7": "n", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03bf": "o",
  "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u03c7": "x", "\u03b3": "y", "\u03b6": "z", "\u03bc": "u", "\u03c9": "w",
  // Latin letters of other alphabets (IPA, small capitals) read as plain ones
  "\u0251": "a", "\u0269": "i", "\u1d00": "a", "\u1d04": "c", "\u1d05": "d", "\u1d07": "e", "\u1d0a": "j", "\u1d0b": "k",
  "\u1d0d": "m", "\u1d0f": "o", "\u1d18": "p", "\u1d1b": "t", "\u1d1c": "u", "\u1d20": "v", "\u1d21": "w", "\u1d22": "z",
};
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join("")}]`, "gu");
const COMBINING_MARKS = /\p{M}/gu;

/**
 * A letter folding could not read (a look-alike outside the table: a dotless ı, an Armenian օ, a
 * digit 1 for l or i). It stands for any letter: `apprօved_by` may be read as `approved_by`, so it
 * is judged as one, while deleting the letter would hide the claim.
 */
export const UNREADABLE = "?";
const UNREAD_LETTERS = /[^a-z\P{L}]|1/gu;
const NON_KEY_LETTERS = /[^a-z?]/g;

/**
 * Lowercased letters a–z, and UNREADABLE for a letter that cannot be read as one. A key with other
 * characters is first folded to the letters it looks like: NFKD turns fullwidth, ligature and
 * accented forms into base letters and marks, the marks go (`ápproved` is `approved`), Cyrillic
 * or Greek look-alikes become the Latin letters an operator reads, and a digit 0 is an o. ASCII
 * keys (nearly all) skip the Unicode folding.
 */
export function normalizeKey(key: string): string {
  const folded = ASCII_ONLY.test(key)
    ? key.toLowerCase()
    : key
        .normalize("NFKD")
        .replace(COMBINING_MARKS, "")
        .toLowerCase()
        .replace(LOOK_ALIKE, (letter) => LOOK_ALIKES[letter]!);
  return folded.replace(/0/g, "o").replace(UNREAD_LETTERS, UNREADABLE).replace(NON_KEY_LETTERS, "");
}

/**
 * How a normalised key claims approval, or null when it is not an approval key. A requirement key
 * is exempt only when every letter is read (none holds UNREADABLE).
 */
export function claimKeyKind(normalized: string): ClaimKeyKind | null {
  return REQUIREMENT_KEYS.has(normalized) ? null : keyKind(normalized);
}

/**
 * Who approved, accepted or authorized, or when: `approved_by`, `approverId`, `accepted_by`,
 * `approved_at`, `accepted_at` (the drift plan's receipt field for the operator's acceptance),
 * `authorized_at`. A time is a claim as much as a name: it says the act happened.
 */
const ACTS = ["approved", "approval", "accepted", "authorized", "authorised"];
const APPROVER_WORDS = ["approver", ...ACTS.map((act) => `${act}by`)];
const APPROVER_ENDINGS = ACTS.flatMap((act) => ["at", "on", "time", "date"].map((when) => `${act}${when}`));
/** Any other key that speaks of approval, or of permission to apply, says whether it was given. */
const FLAG_WORDS = ["approv", APPLY_ALLOWED];

/**
 * The kind a key has, reading each unreadable letter as any letter: the worst reading counts.
 * (Results are remembered per raw key in approval-claims.ts, so the word scan is paid once.)
 */
function keyKind(key: string): ClaimKeyKind | null {
  if (APPROVER_WORDS.some((word) => couldContain(key, word)) || APPROVER_ENDINGS.some((word) => couldEndWith(key, word))) return "approver";
  if (FLAG_WORDS.some((word) => couldContain(key, word))) return "flag";
  return null;
}

function couldContain(key: string, word: string): boolean {
  for (let at = 0; at + word.length <= key.length; at++) if (couldBeAt(key, word, at)) return true;
  return false;
}

function couldEndWith(key: string, word: string): boolean {
  return key.length >= word.length && couldBeAt(key, word, key.length - word.length);
}

function couldBeAt(key: string, word: string, at: number): boolean {
  for (let i = 0; i < word.length; i++) {
    const letter = key[at + i];
    if (letter !== UNREADABLE && letter !== word[i]) return false;
  }
  return true;
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
