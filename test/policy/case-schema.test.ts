import { describe, expect, it } from "vitest";
import { goldenCaseSchema } from "../../src/policy/cases/case-schema.js";

const golden = (reasons: string[]) => ({ description: "d", bundle: "b.json", now: "2026-11-21T12:00:00Z", expect: { verdict: "blocked", reasons } });

describe("golden case files", () => {
  it("accept a known reason code", () => {
    expect(goldenCaseSchema.safeParse(golden(["bundle_malformed"])).success).toBe(true);
  });

  it("refuse Object.prototype names as reason codes, so a case cannot expect a code that never exists", () => {
    for (const code of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const parsed = goldenCaseSchema.safeParse(golden([code]));
      expect(parsed.success, code).toBe(false);
      if (!parsed.success) expect(parsed.error.issues[0]).toMatchObject({ path: ["expect", "reasons", 0], message: expect.stringMatching(new RegExp(`^unknown reason code \`${code}\``)) });
    }
  });
});
