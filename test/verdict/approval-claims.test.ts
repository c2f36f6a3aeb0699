import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { claimKeyKind, isClaimValue, normalizeKey, UNREADABLE } from "../../src/verdict/rules/approval-claim-keys.js";

const policy = await readPolicy();
const NOW = Date.parse("2026-11-21T12:00:00Z");

/** A read-only class with all its evidence fresh and passing: eligible unless something holds it. */
function greenBundle(data: Record<string, unknown>) {
  return {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:55:00Z",
    producer: { name: "approval-claims.test" },
    candidate: { repair_class: "runtime_diagnostics", summary: "diagnostics" },
    evidence: [
      { kind: "runtime-truth-report", generated_at: "2026-11-21T11:50:00Z", status: "pass", data },
      { kind: "autoheal-dashboard", generated_at: "2026-11-21T11:50:00Z", status: "pass", data: { probe: "ok" } },
    ],
  };
}

/** Judged through the real decode path (JSON text → openBundle), as a producer's file would be. */
function judge(data: Record<string, unknown>) {
  const bytes = Buffer.from(JSON.stringify(greenBundle(data)));
  const verdict = evaluate(assembleInput(openBundle("bundle.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
  const claims = verdict.reasons.filter((r) => r.code === "approval_claim_ignored");
  return { verdict: verdict.verdict, codes: verdict.reasons.map((r) => r.code), claimPaths: claims.map((r) => r.path), claimMessages: claims.map((r) => r.message) };
}

const AT = "bundle.evidence[0].data";

// Each must hold the verdict with approval_claim_ignored at `path`. The first group are the
// reviewer's misses (each was eligible_repair_dry_run); the rest keep earlier catches and the
// spellings the normalised keys now cover.
const CLAIMS: Array<{ name: string; data: Record<string, unknown>; path: string }> = [
  { name: "object under approval", data: { approval: { status: "approved" } }, path: `${AT}.approval` },
  { name: "object under approved", data: { approved: { value: true } }, path: `${AT}.approved` },
  { name: "array under approved", data: { approved: [true] }, path: `${AT}.approved` },
  { name: 'string "1"', data: { approved: "1" }, path: `${AT}.approved` },
  { name: 'string "on"', data: { approved: "on" }, path: `${AT}.approved` },
  { name: 'string "true."', data: { approved: "true." }, path: `${AT}.approved` },
  { name: "a sentence", data: { approved: "Approved by operator" }, path: `${AT}.approved` },
  { name: "camelCase approvedBy", data: { approvedBy: "piotr" }, path: `${AT}.approvedBy` },
  { name: "camelCase operatorApproved", data: { operatorApproved: true }, path: `${AT}.operatorApproved` },
  { name: "kebab approved-by", data: { "approved-by": "x" }, path: `${AT}.approved-by` },
  { name: "is_approved", data: { is_approved: true }, path: `${AT}.is_approved` },
  { name: "spaced, upper case APPROVED BY", data: { "APPROVED BY": "piotr" }, path: `${AT}["APPROVED BY"]` },
  { name: "Approved_By holding an object", data: { Approved_By: { login: "piotr" } }, path: `${AT}.Approved_By` },
  { name: "number 1", data: { approved: 1 }, path: `${AT}.approved` },
  { name: "operator_approval true", data: { operator_approval: true }, path: `${AT}.operator_approval` },
  { name: 'approved "yes"', data: { approved: "yes" }, path: `${AT}.approved` },
  { name: 'approval "granted"', data: { approval: "granted" }, path: `${AT}.approval` },
  { name: "production_apply_allowed true", data: { production_apply_allowed: true }, path: `${AT}.production_apply_allowed` },
  { name: "prod_apply_allowed true", data: { prod_apply_allowed: true }, path: `${AT}.prod_apply_allowed` },
  { name: "approved_by 0 (an id; uid 0 is root)", data: { approved_by: 0 }, path: `${AT}.approved_by` },
  { name: "approved_by a list", data: { approved_by: ["p"] }, path: `${AT}.approved_by` },
  { name: 'approved_by "none" (approver keys name someone whatever they say)', data: { approved_by: "none" }, path: `${AT}.approved_by` },
  { name: "approved_at", data: { approved_at: "2026-11-21T11:00:00Z" }, path: `${AT}.approved_at` },
  { name: "approverId", data: { approverId: 42 }, path: `${AT}.approverId` },
  { name: "accepted_by (a drift plan's receipt field, filled in by evidence)", data: { accepted_by: "piotr" }, path: `${AT}.accepted_by` },
  { name: "authorised_by", data: { authorised_by: "piotr" }, path: `${AT}.authorised_by` },
  { name: "a list of approvals", data: { approvals: [{ user: "piotr", state: "APPROVED" }] }, path: `${AT}.approvals` },
  { name: 'a status that is not a plain "no" (fail closed)', data: { approval_status: "pending" }, path: `${AT}.approval_status` },
  { name: "autoApprove", data: { autoApprove: "always" }, path: `${AT}.autoApprove` },
  { name: "fullwidth letters", data: { "ａｐｐｒｏｖｅｄ": true }, path: `${AT}["ａｐｐｒｏｖｅｄ"]` },
  { name: "deep inside a list", data: { checks: [{ gate: { approvedBy: "piotr" } }] }, path: `${AT}.checks[0].gate.approvedBy` },
  { name: "inside a requirement descriptor", data: { approval_required: { approved_by: "piotr" } }, path: `${AT}.approval_required.approved_by` },
  { name: "a flag that only mentions a requirement", data: { approval_requirements_met: true }, path: `${AT}.approval_requirements_met` },
];

// Deliberate non-claims: values that say no, and keys that describe a requirement for approval.
// Each must leave the green bundle eligible, with no approval_claim_ignored.
const NON_CLAIMS: Array<{ name: string; data: Record<string, unknown> }> = [
  { name: "the kit's denials (fixtures/cases/rules/approval-false-is-no-claim)", data: { operator_approval: false, production_apply_allowed: false, approved_by: null } },
  { name: 'approved "no"', data: { approved: "no" } },
  { name: 'approved "false"', data: { approved: "FALSE" } },
  { name: "approved 0", data: { approved: 0 } },
  { name: 'approved "0"', data: { approved: "0" } },
  { name: 'approved "off"', data: { approved: "off" } },
  { name: 'approved "N/A"', data: { approved: "N/A" } },
  { name: 'approved " None "', data: { approved: " None " } },
  { name: "approved empty string", data: { approved: "" } },
  { name: "isApproved null", data: { isApproved: null } },
  { name: "approval an empty object", data: { approval: {} } },
  { name: "approvals an empty list", data: { approvals: [] } },
  { name: "approved_by blank", data: { approved_by: "   " } },
  { name: "approver false", data: { approver: false } },
  { name: "approval_required false", data: { approval_required: false } },
  { name: "approval_required true", data: { approval_required: true } },
  { name: "requiresApproval", data: { requiresApproval: true } },
  { name: "required_approvals", data: { required_approvals: 2 } },
  { name: "needs_approval", data: { needs_approval: "yes" } },
  { name: "ordinary probe data", data: { probe: "ok", authoritative: false, authority_digest: "sha256:2bc2" } },
  { name: "accepted_by named as a value, not a key (a drift plan's receipt fields)", data: { receipt_fields: [{ field: "accepted_by", records: "the operator who accepted this plan" }] } },
];

describe("approval claims in evidence data", () => {
  it("the green bundle the tables start from is eligible on its own", () => {
    expect(judge({ probe: "ok" })).toMatchObject({ verdict: "eligible_repair_dry_run", codes: ["dry_run_only"] });
  });

  it.each(CLAIMS)("claims approval: $name", ({ data, path }) => {
    const judged = judge(data);
    expect(judged.verdict).toBe("needs_human");
    expect(judged.codes).toContain("approval_claim_ignored");
    expect(judged.claimPaths).toEqual([path]);
  });

  it.each(NON_CLAIMS)("claims nothing: $name", ({ data }) => {
    const judged = judge(data);
    expect(judged.codes).not.toContain("approval_claim_ignored");
    expect(judged.verdict).toBe("eligible_repair_dry_run");
  });

  it("names the key as written and echoes a container without its contents", () => {
    const [message] = judge({ approval: { status: "approved" } }).claimMessages;
    expect(message).toContain("claims approval at `approval` (an object)");
    expect(judge({ approvedBy: "piotr" }).claimMessages[0]).toContain("claims approval at `approvedBy` (`piotr`)");
  });

  it("reports each claim once, and does not look inside a value it already reported", () => {
    expect(judge({ approval: { approved_by: "piotr" }, "approved-by": "piotr" }).claimPaths).toEqual([`${AT}.approval`, `${AT}.approved-by`]);
  });
});

describe("approval key normalisation", () => {
  it("makes every spelling of one key the same letters", () => {
    for (const spelling of ["approvedBy", "approved-by", "approved_by", "APPROVED BY", "Approved_By", " approved.by ", "approved_by_2", "ａｐｐｒｏｖｅｄ＿ｂｙ", "appr0ved_by"]) {
      expect(normalizeKey(spelling), spelling).toBe("approvedby");
    }
  });

  it("keeps a letter it cannot read as one that may be any letter, so a look-alike outside the table still claims", () => {
    // A dotless ı, an Armenian օ, a digit 1 for l or i: deleting them would hide the claim.
    expect(normalizeKey("author\u0131zed_by")).toBe(`author${UNREADABLE}zedby`);
    expect(normalizeKey("appr\u0585ved_by")).toBe(`appr${UNREADABLE}vedby`);
    for (const key of ["author\u0131zed_by", "appr\u0585ved_by", "approved_by_1", "authori2ed_at", "accept\u0585d_by"]) expect(claimKeyKind(normalizeKey(key)), key).toBe(key === "authori2ed_at" ? null : "approver");
    for (const key of ["operator_appr\u0585val", "pr\u0585duction_apply_allowed", "app1y_allowed"]) expect(claimKeyKind(normalizeKey(key)), key).toBe("flag");
    // Exempt only when every letter is read: a look-alike may hide a claim in a requirement's name.
    expect(claimKeyKind(normalizeKey("approval_required"))).toBeNull();
    expect(claimKeyKind(normalizeKey("appr\u0585val_required"))).toBe("flag");
    // Keys with an unreadable letter that could spell no approval word stay what they are.
    for (const key of ["ipv1", "c\u0585unt", "\u0585k", "\u4e2d\u6587", "sha1sum"]) expect(claimKeyKind(normalizeKey(key)), key).toBeNull();
  });


  it("sorts keys into approver keys, flags and others", () => {
    const kind = (key: string) => claimKeyKind(normalizeKey(key));
    expect(["approved_by", "approver", "approvers", "approved_at", "accepted_by", "authorizedBy", "approvedByOperator"].map(kind)).toEqual(Array(7).fill("approver"));
    expect(["approved", "approval", "isApproved", "operator_approval", "autoApprove", "preapproved", "approvals", "apply_allowed", "production_apply_allowed"].map(kind)).toEqual(Array(9).fill("flag"));
    expect(["approval_required", "requires_approval", "required_approver", "needs_approval", "probe", "accepted", "allowed", "authority_digest"].map(kind)).toEqual(Array(8).fill(null));
  });

  it("reads a flag's value as a claim unless it plainly says no", () => {
    for (const yes of [true, 1, -1, "1", "on", "yes", "true.", "pending", [false], { value: false }]) expect(isClaimValue("flag", yes), JSON.stringify(yes)).toBe(true);
    for (const no of [false, null, undefined, 0, "", " false ", "No", "n", "OFF", "0", "none", "null", "nil", "n/a", "NA", [], {}]) expect(isClaimValue("flag", no), JSON.stringify(no)).toBe(false);
  });

  it("reads an approver's value as a claim unless it is absent", () => {
    for (const yes of [true, 0, "piotr", "none", "no", [], {}]) expect(isClaimValue("approver", yes), JSON.stringify(yes)).toBe(true);
    for (const no of [false, null, undefined, "", "   "]) expect(isClaimValue("approver", no), JSON.stringify(no)).toBe(false);
  });
});

/** The detector before normalised keys, verbatim in effect: what it caught must still be caught. */
const PREVIOUS_FLAG_KEYS = ["approved", "approval", "operator_approval", "operator_approved", "human_approved", "production_apply_allowed", "apply_allowed", "auto_approve", "auto_approved"];
const PREVIOUS_APPROVER_KEYS = ["approved_by", "approver", "approved_at"];
function previousIsClaim(key: string, value: unknown): boolean {
  const lower = key.toLowerCase();
  if (PREVIOUS_FLAG_KEYS.includes(lower)) return value === true || value === 1 || (typeof value === "string" && /^(?:true|yes|y|approved|granted|allow|allowed|ok)$/i.test(value.trim()));
  if (PREVIOUS_APPROVER_KEYS.includes(lower)) return typeof value === "string" ? value.trim().length > 0 : value !== null && value !== false && value !== undefined;
  return false;
}

describe("approval claims, compared with the previous detector", () => {
  it("still catches everything the previous detector caught", () => {
    const anyCase = (key: string) => fc.array(fc.boolean(), { minLength: key.length, maxLength: key.length }).map((upper) => [...key].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
    const key = fc.constantFrom(...PREVIOUS_FLAG_KEYS, ...PREVIOUS_APPROVER_KEYS).chain(anyCase);
    const value = fc.oneof(fc.constantFrom(true, false, 1, 0, null, "yes", " Y ", "ok", "granted", "no", "", " "), fc.jsonValue());
    fc.assert(
      fc.property(key, value, (k, v) => {
        if (!previousIsClaim(k, v)) return true;
        const kind = claimKeyKind(normalizeKey(k));
        return kind !== null && isClaimValue(kind, v);
      }),
      { numRuns: 2000 },
    );
  });
});
