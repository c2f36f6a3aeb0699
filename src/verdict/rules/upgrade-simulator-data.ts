import { quote } from "../../diagnostics/diagnostic.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, describeValue, fieldName, nameList } from "./data-findings.js";

/**
 * `openclaw-upgrade-simulator`: the rehearsal's customization checks and its coverage of the
 * required surfaces, read against the status the rehearsal gives itself. A customization check
 * that did not succeed is a failure; surfaces left uncovered are for a human to judge.
 */
export const inspectUpgradeSimulator: KindInspector = (item, index) => {
  if (item.status === "fail") return []; // nothing in the data can be worse
  const read = new DataReader();
  readCustomizationChecks(read, item.data);
  const coverage = read.object(item.data, ["coverage"], "how many required surfaces the rehearsal covered");
  if (coverage !== undefined) {
    const required = read.count(coverage, ["coverage", "required_surfaces"], "how many surfaces the rehearsal had to cover");
    const covered = read.count(coverage, ["coverage", "covered"], "how many surfaces the rehearsal covered");
    if (required !== undefined && covered !== undefined && covered < required) {
      read.add(
        "degraded",
        ["coverage", "covered"],
        `its ${fieldName(["coverage", "covered"])} is ${quote(covered)} of ${quote(required)} required surfaces: the rehearsal left ${required - covered} uncovered, and an uncovered surface is not a pass; rehearse them, or a human must judge what they would have shown`,
      );
    }
  }
  return dataReasons(item, index, read.findings);
};

/** `{ <check>: "success" }`: anything but `success`, whatever its type, is a check that did not pass. */
function readCustomizationChecks(read: DataReader, data: Record<string, unknown>): void {
  const checks = read.object(data, ["customization_checks"], "which customization checks passed");
  if (checks === undefined) return;
  const failed = Object.keys(checks).filter((name) => checks[name] !== "success");
  if (failed.length === 0) return;
  const at = ["customization_checks", failed[0]!];
  read.add(
    "failed",
    at,
    `its customization ${failed.length === 1 ? "check" : "checks"} ${nameList(failed)} did not succeed (${fieldName(at)} is ${describeValue(checks[failed[0]!])}, not \`success\`); the upgrade would break a customization, so fix it or rehearse again`,
  );
}
