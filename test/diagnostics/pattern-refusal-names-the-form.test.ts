import * as z from "zod";
import { describe, expect, it } from "vitest";
import { validatePlan } from "../../src/drift/validate-plan.js";
import { validateWith } from "../../src/diagnostics/zod-diagnostics.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { planFor } from "../drift/fixture-set.js";

// zod reports a string that does not match a schema's pattern as the format `regex`; the value was
// never meant to be a regular expression, so the message names the form it must have instead.
describe("a value that does not have the required form", () => {
  it("is told the pattern it must match, not called an invalid regular expression", () => {
    const result = validateWith(z.strictObject({ field: z.string().regex(/^[a-z][a-z0-9_]*$/) }), { field: "Previous-Receipt" }, "doc");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.path).toBe("doc.field");
    expect(result.diagnostics[0]!.message).toBe("the text `Previous-Receipt` does not have the required form; it must match `/^[a-z][a-z0-9_]*$/`");
  });

  it("in a drift plan's receipt fields, is refused with the form it must have", async () => {
    const plan = structuredClone(planFor(await readPolicy(), "iskra-docs-behind")) as unknown as { receipt_fields: Array<{ field: string }> };
    plan.receipt_fields[0]!.field = "Previous-Receipt";
    const result = validatePlan(plan, "plan");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const atField = result.diagnostics.filter((d) => d.path === "plan.receipt_fields[0].field");
    expect(atField).toHaveLength(1);
    expect(atField[0]!.message).toBe("the text `Previous-Receipt` does not have the required form; it must match `/^[a-z][a-z0-9_]*$/`");
  });
});
