import { describe, expect, it } from "vitest";
import { findCaseFiles, runCaseFile } from "../src/policy/cases/run-cases.js";
import { readPolicy } from "../src/policy/read-policy.js";
import { fixture } from "./helpers/paths.js";

// Each data file in fixtures/cases is one test: input, clock, expected verdict and reason codes.
const root = fixture("cases");
const files = await findCaseFiles(root);
const policy = await readPolicy();

describe("golden cases (fixtures/cases, also run by `patchwarden policy test`)", () => {
  it("has cases for every area", () => {
    for (const area of ["rules/", "acceptance-68/", "safe-update/", "hostile/", "drift/"]) {
      expect(files.some((file) => file.includes(`/cases/${area}`)), area).toBe(true);
    }
  });

  for (const file of files) {
    it(file.slice(root.length + 1), async () => {
      const result = await runCaseFile(file, policy, root);
      expect(result.failures, result.description).toEqual([]);
      expect(result.verdict?.verdict).toBeDefined();
    });
  }
});
