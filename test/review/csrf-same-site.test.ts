import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { crossSiteProblem } from "../../src/server/review/csrf.js";

// Only `Sec-Fetch-Site: same-origin` passes. `same-site` is a sibling subdomain
// (evil.example.org posting to review.example.org), which must be refused.
const request = (headers: Record<string, string>): Context =>
  ({ req: { url: "https://review.example.org/review/p_00000000000000000001/approve", header: (name: string) => headers[name] } }) as unknown as Context;

describe("crossSiteProblem: Sec-Fetch-Site decides", () => {
  it("baseline: same-origin passes", () => {
    expect(crossSiteProblem(request({ "sec-fetch-site": "same-origin" }), undefined)).toBeNull();
  });

  it("refuses same-site and none, not only cross-site", () => {
    for (const site of ["same-site", "none", "cross-site"]) {
      expect(crossSiteProblem(request({ "sec-fetch-site": site }), undefined), site).toMatch(/another site/);
    }
  });
});
