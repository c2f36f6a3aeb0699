import { describe, expect, it } from "vitest";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";



describe("policy semantics: a policy that loads must not be weaker than it reads", () => {
  it("refuses a repair class named after a hard-manual class that does not list it (it read as a read-only class, eligible for a dry run)", () => {
    // `service_restart` is a hard-manual class the operator owns by the product boundary. A repair
    // class of the same name, marked non-mutating with no hard-manual classes, loads today, and a
    // candidate asking for `service_restart` is then eligible for a dry run.
    const toml = `${SHIPPED}
[repair_classes.service_restart]
description = "Restart a service."
mutation = false
risk = "low"
requires = ["runtime-truth-report"]
allowed_actions = ["health.probe"]
executor = "the operator"
`;
    expect(policyProblems(toml)).toContain("policy.repair_classes.service_restart: `service_restart` is a hard-manual class; a repair class of that name must list it (`hard_manual = [\"service_restart\"]`, with `mutation = true`), or take another name");
  });

  it("refuses a policy name that would forge lines in every verdict and comment", () => {
    const toml = SHIPPED.replace('name = "iskra-openclaw"', 'name = "iskra-openclaw\\n  [info] dry_run_only"');
    expect(policyProblems(toml)).toEqual([expect.stringMatching(/^policy\.name: `iskra-openclaw\\x0a  \[info\] dry_run_only` holds a control character, line break or bidirectional control; name the policy in plain text/)]);
  });
});

describe("policy error messages keep the house style (path first, the user's value in backticks, then what to do)", () => {
  it("says a duration past the limit is over the limit, however large, instead of `not a duration`", () => {
    const found = policyProblems(SHIPPED.replace('max_age = "30m"', 'max_age = "200000000000d"'));
    expect(found).toEqual([expect.stringMatching(/^policy\.evidence\.autoheal-dashboard\.max_age: `200000000000d` is over the `30d` limit/)]);
  });

  it("echoes a TOML time written as a max age, instead of `got an object`", () => {
    const found = policyProblems(SHIPPED.replace('max_age = "30m"', "max_age = 00:30:00"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^policy\.evidence\.autoheal-dashboard\.max_age: /);
    expect(found[0]).toContain("a TOML time (`00:30:00.000`) is not a duration; write the duration in quotes");
    expect(found[0]).not.toContain("an object");
  });
});
