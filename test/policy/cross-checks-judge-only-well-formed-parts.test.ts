import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { crossCheckPolicy } from "../../src/policy/cross-checks.js";
import { SHIPPED } from "../helpers/policy-text.js";

const shippedValue = () => parseToml(SHIPPED) as Record<string, any>;
const formatted = (raw: unknown) => crossCheckPolicy(raw).map(formatDiagnostic);

describe("one malformed hard-manual class hides no dropped action in another", () => {
  it("still names an action dropped from a later required class when an earlier one's actions are not a list", () => {
    const raw = shippedValue();
    raw["hard_manual"]["service_restart"]["actions"] = "service.restart";
    raw["hard_manual"]["destructive"]["actions"] = (raw["hard_manual"]["destructive"]["actions"] as string[]).filter((a) => a !== "process.kill");
    expect(formatted(raw)).toEqual([
      "policy.hard_manual.destructive.actions: missing `process.kill`; the operator owns it by the product boundary, so add it back (a policy may add actions, never drop these)",
    ]);
  });
});

describe("a policy without a [hard_manual] section", () => {
  // The schema reports the missing section once; every reference to a class is not also called unknown.
  it("calls no reference to a hard-manual class unknown", () => {
    const raw = shippedValue();
    delete raw["hard_manual"];
    expect(formatted(raw)).toEqual([]);
  });
});

describe("values the schema refuses are left to it, with no cross-check message of their own", () => {
  it("a hard-manual class whose name is not an identifier owns no action", () => {
    const raw = shippedValue();
    raw["hard_manual"]["Custom-Ops"] = { description: "d", actions: ["custom.reboot"] };
    raw["repair_classes"]["runtime_diagnostics"]["allowed_actions"].push("custom.reboot");
    expect(formatted(raw)).toEqual([]);
  });

  it("a class touching hard-manual actions that leaves out the runtime-change flag is not told to set it (the schema says it is missing)", () => {
    const raw = shippedValue();
    delete raw["repair_classes"]["gateway_restart"]["mutation"];
    expect(formatted(raw)).toEqual([]);
  });

  it("a repeated non-string evidence kind, or two kinds that differ only by a blank, are not called repeats", () => {
    const raw = shippedValue();
    raw["repair_classes"]["runtime_diagnostics"]["requires"] = [7, 7, "incident-packet ", "incident-packet"];
    expect(formatted(raw)).toEqual([]);
  });
});
