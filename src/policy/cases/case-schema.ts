import * as z from "zod";
import { didYouMean } from "../../diagnostics/suggest.js";
import { quote } from "../../diagnostics/diagnostic.js";
import { isoTime } from "../../evidence/bundle-schema.js";
import { REASON_CODES } from "../../verdict/reason-codes.js";
import { VERDICTS } from "../../verdict/verdict-types.js";

const CODES = Object.keys(REASON_CODES);

// Object.hasOwn, not `in`: `constructor` is no reason code.
const reasonCode = z.string().refine((code) => Object.hasOwn(REASON_CODES, code), {
  error: (issue) => `unknown reason code ${quote(issue.input)}${didYouMean(issue.input, CODES) || "; see docs/policy-reference.md for the list"}`,
});

/**
 * A golden case, as `opa test` has for Rego: one input, one clock, one expected decision.
 * `reasons` is the exact set of reason codes the verdict must carry (order and repeats ignored).
 */
export const goldenCaseSchema = z
  .strictObject({
    description: z.string().min(1),
    bundle: z.string().min(1).optional().describe("Path of a bundle file or kit run folder, relative to the case file."),
    bundle_inline: z.record(z.string(), z.unknown()).optional().describe("The bundle itself, for small rule cases."),
    now: isoTime,
    policy: z.string().min(1).optional().describe("Policy path relative to the case file; default: the policy under test."),
    expect: z.strictObject({
      verdict: z.enum(VERDICTS),
      reasons: z.array(reasonCode),
    }),
  })
  .refine((c) => (c.bundle === undefined) !== (c.bundle_inline === undefined), {
    error: "give exactly one of `bundle` (a path) and `bundle_inline` (the bundle itself)",
  });

export type GoldenCase = z.output<typeof goldenCaseSchema>;
