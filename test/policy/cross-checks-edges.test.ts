import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { crossCheckPolicy } from "../../src/policy/cross-checks.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";



/** The shipped policy as a plain value, to change one section of it. */
const shippedValue = () => parseToml(SHIPPED) as Record<string, unknown>;
const formatted = (raw: unknown) => crossCheckPolicy(raw).map(formatDiagnostic);

const readOnlyClass = (extra: Record<string, unknown> = {}) => ({
  description: "d",
  mutation: false,
  risk: "low",
  requires: ["runtime-truth-report"],
  executor: "e",
  ...extra,
});

const REPAIR_CLASS_TAIL = `
mutation = true
risk = "high"
requires = ["runtime-truth-report"]
executor = "the operator"
`;

describe("a policy must define at least one repair class", () => {
  it("refuses an empty repair_classes table, saying every candidate would be blocked", () => {
    const raw = shippedValue();
    raw["repair_classes"] = {};
    expect(formatted(raw)).toEqual(["policy.repair_classes: no repair classes; define at least one, or every candidate is blocked as unknown"]);
  });
});

describe("a repair class named after a hard-manual class must list it", () => {
  it("refuses a read-only class named after a required hard-manual class even when [hard_manual] is absent", () => {
    const raw = { repair_classes: { service_restart: readOnlyClass() } };
    expect(formatted(raw)).toEqual([
      'policy.repair_classes.service_restart: `service_restart` is a hard-manual class; a repair class of that name must list it (`hard_manual = ["service_restart"]`, with `mutation = true`), or take another name',
    ]);
  });

  it("refuses a class named after a hard-manual class the policy itself adds", () => {
    const toml = `${SHIPPED}
[hard_manual.db_migrate]
description = "Schema migrations."
actions = ["db.migrate"]

[repair_classes.db_migrate]
description = "Looks like the migration, but is read-only."
mutation = false
risk = "low"
requires = ["runtime-truth-report"]
executor = "the operator"
`;
    expect(policyProblems(toml)).toEqual([
      'policy.repair_classes.db_migrate: `db_migrate` is a hard-manual class; a repair class of that name must list it (`hard_manual = ["db_migrate"]`, with `mutation = true`), or take another name',
    ]);
  });

  it("refuses such a class when it lists other hard-manual classes but not its own", () => {
    const toml = `${SHIPPED}
[repair_classes.service_restart]
description = "Named like a restart, marked as something else."
hard_manual = ["destructive"]${REPAIR_CLASS_TAIL}`;
    expect(policyProblems(toml)).toEqual([
      'policy.repair_classes.service_restart: `service_restart` is a hard-manual class; a repair class of that name must list it (`hard_manual = ["service_restart"]`, with `mutation = true`), or take another name',
    ]);
  });

  it("accepts such a class when it lists its own hard-manual class and mutates", () => {
    const toml = `${SHIPPED}
[repair_classes.service_restart]
description = "A restart, owned by the operator."
hard_manual = ["service_restart"]${REPAIR_CLASS_TAIL}`;
    expect(parsePolicy(Buffer.from(toml)).ok).toBe(true);
  });
});

describe("hard-manual actions are never allowed for a dry run", () => {
  it("refuses a hard-manual action in allowed_actions even in the class named after its owner", () => {
    const toml = `${SHIPPED}
[repair_classes.service_restart]
description = "A restart, owned by the operator."
hard_manual = ["service_restart"]
allowed_actions = ["health.probe", "service.restart"]${REPAIR_CLASS_TAIL}`;
    expect(policyProblems(toml)).toEqual([
      "policy.repair_classes.service_restart.allowed_actions[1]: `service.restart` is a hard-manual action of `service_restart`; it cannot be allowed for a dry run, list the class in `hard_manual` instead",
    ]);
  });
});

describe("a repair class lists each required evidence kind once", () => {
  it("refuses a repeated evidence kind, pointing at the repeat", () => {
    const toml = SHIPPED.replace(
      'requires = ["runtime-truth-report", "autoheal-dashboard"]',
      'requires = ["runtime-truth-report", "autoheal-dashboard", "runtime-truth-report"]',
    );
    expect(policyProblems(toml)).toEqual([
      "policy.repair_classes.runtime_diagnostics.requires[2]: evidence kind `runtime-truth-report` is listed twice; remove the repeat",
    ]);
  });
});

describe("hard-manual class references are checked by own name only", () => {
  it("calls a reference to `constructor` unknown, even in a plain object value", () => {
    const raw = shippedValue();
    const hardManual = { ...(raw["hard_manual"] as Record<string, unknown>) };
    raw["hard_manual"] = hardManual;
    raw["repair_classes"] = { probe: readOnlyClass({ mutation: true, hard_manual: ["constructor", "to_string"] }) };
    expect(formatted(raw)).toEqual([
      "policy.repair_classes.probe.hard_manual[0]: unknown hard-manual class `constructor`; define it under [hard_manual.constructor] or remove it",
      "policy.repair_classes.probe.hard_manual[1]: unknown hard-manual class `to_string`; define it under [hard_manual.to_string] or remove it",
    ]);
  });

  it("leaves a class whose name is not an identifier to the schema, adding nothing of its own", () => {
    const raw = shippedValue();
    raw["repair_classes"] = {
      Probe: readOnlyClass({ allowed_actions: ["service.restart"], requires: ["incident-packet", "incident-packet"] }),
      probe: readOnlyClass(),
    };
    expect(formatted(raw)).toEqual([]);
  });
});
