import { quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, describeValue, fieldName, holdsInstead, nameList, type Segment } from "./data-findings.js";

/**
 * `openclaw-upgrade-simulator`: the rehearsal's customization checks and its coverage of the
 * required surfaces, read against the status the rehearsal gives itself, in both the summary
 * shape (`customization_checks`, `coverage`) and the safe-update kit's own files
 * (`customization-compatibility.json`'s `checks`, `coverage-report.json`'s `surfaces`, and the
 * `status` each kit file carries). A customization check that did not succeed, or a kit file
 * that failed, is a failure; surfaces left uncovered are for a human to judge.
 */
export const inspectUpgradeSimulator: KindInspector = (item, index) => {
  if (item.status === "fail") return []; // nothing in the data can be worse
  const read = new DataReader();
  readKitStatus(read, item.data);
  readCustomizationChecks(read, item.data);
  readCheckList(read, item.data);
  readCoverage(read, item.data);
  readSurfaces(read, item.data);
  return dataReasons(item, index, read.findings);
};


/** A kit file's own `status` (`success` or `failed` in the kit's schemas): its failure is never upgraded. */
function readKitStatus(read: DataReader, data: Record<string, unknown>): void {
  const status = read.text(data, ["status"], "whether the kit's rehearsal passed");
  if (status === undefined || status === "success") return;
  if (status === "failed" || status === "blocked") {
    read.add("failed", ["status"], `its ${fieldName(["status"])} is ${quote(status)}: the kit's rehearsal failed, and the gate never upgrades the kit's ${quote(status)}; fix what the kit reports and rehearse again`);
  } else {
    read.add("unreadable", ["status"], `its ${fieldName(["status"])} is ${quote(status)}, not \`success\` or \`failed\`; the gate cannot tell whether the kit's rehearsal passed, so a human must judge it`);
  }
}

/** `{ <check>: "success" }`: anything but `success`, whatever its type, is a check that did not pass. */
function readCustomizationChecks(read: DataReader, data: Record<string, unknown>): void {
  const checks = read.object(data, ["customization_checks"], "which customization checks passed");
  if (checks === undefined) return;
  const failed = Object.keys(checks).filter((name) => checks[name] !== "success");
  if (failed.length === 0) return;
  addFailedChecks(read, failed, ["customization_checks", failed[0]!], checks[failed[0]!]);
}

/** customization-compatibility.json's `checks: [{ id, status }]`: as above, anything but `success` did not pass. */
function readCheckList(read: DataReader, data: Record<string, unknown>): void {
  const checks = data["checks"];
  if (checks === undefined) return;
  if (!Array.isArray(checks)) {
    read.wrongType(["checks"], checks, "a list of checks", "which customization checks passed");
    return;
  }
  const failed: { name: string; at: Segment[]; value: unknown }[] = [];
  const unreadable: { name: string; at: Segment[]; value: unknown }[] = [];
  checks.forEach((check: unknown, i) => {
    const name = isRecord(check) && typeof check["id"] === "string" ? check["id"] : `checks[${i}]`;
    if (!isRecord(check)) unreadable.push({ name, at: ["checks", i], value: check });
    else if (check["status"] === undefined) unreadable.push({ name, at: ["checks", i, "status"], value: undefined });
    else if (check["status"] !== "success") failed.push({ name, at: ["checks", i, "status"], value: check["status"] });
  });
  if (failed.length > 0) addFailedChecks(read, failed.map((f) => f.name), failed[0]!.at, failed[0]!.value);
  if (unreadable.length > 0) {
    const first = unreadable[0]!;
    const shows = first.value === undefined ? "has no `status`" : `is ${describeValue(first.value)}, not an object`;
    read.add(
      "unreadable",
      first.at,
      `its customization ${unreadable.length === 1 ? "check" : "checks"} ${nameList(unreadable.map((u) => u.name))} cannot be read (${fieldName(first.at)} ${shows}); the gate cannot tell whether ${unreadable.length === 1 ? "it" : "they"} passed, so a human must judge it, and the producer should write each check as \`{ id, status }\``,
    );
  }
}

function addFailedChecks(read: DataReader, names: readonly string[], at: readonly Segment[], value: unknown): void {
  read.add(
    "failed",
    at,
    `its customization ${names.length === 1 ? "check" : "checks"} ${nameList(names)} did not succeed (${fieldName(at)} is ${describeValue(value)}, not \`success\`); the upgrade would break a customization, so fix it or rehearse again`,
  );
}

function readCoverage(read: DataReader, data: Record<string, unknown>): void {
  const coverage = read.object(data, ["coverage"], "how many required surfaces the rehearsal covered");
  if (coverage === undefined) return;
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

/**
 * coverage-report.json's `surfaces: [{ id, required, status }]`: a required surface whose status
 * is not `success` was not covered. A surface counts as required unless it says `required: false`.
 */
function readSurfaces(read: DataReader, data: Record<string, unknown>): void {
  const surfaces = data["surfaces"];
  if (surfaces === undefined) return;
  if (!Array.isArray(surfaces)) {
    read.wrongType(["surfaces"], surfaces, "a list of surfaces", "which required surfaces the rehearsal covered");
    return;
  }
  const uncovered: { name: string; at: Segment[]; value: unknown }[] = [];
  const unreadable: { name: string; at: Segment[]; value: unknown; expected: string }[] = [];
  surfaces.forEach((surface: unknown, i) => {
    const name = isRecord(surface) && typeof surface["id"] === "string" ? surface["id"] : `surfaces[${i}]`;
    const required = isRecord(surface) ? surface["required"] : undefined;
    if (!isRecord(surface)) unreadable.push({ name, at: ["surfaces", i], value: surface, expected: "an object" });
    else if (required !== undefined && typeof required !== "boolean") unreadable.push({ name, at: ["surfaces", i, "required"], value: required, expected: "`true` or `false`" });
    else if (required !== false && surface["status"] !== "success") uncovered.push({ name, at: ["surfaces", i, "status"], value: surface["status"] });
  });
  if (uncovered.length > 0) {
    const first = uncovered[0]!;
    const one = uncovered.length === 1;
    const shows = holdsInstead(first.value, "`success`");
    read.add(
      "degraded",
      first.at,
      `its required ${one ? "surface" : "surfaces"} ${nameList(uncovered.map((u) => u.name))} ${one ? "was" : "were"} not covered (${fieldName(first.at)} ${shows}), and an uncovered surface is not a pass; rehearse ${one ? "it" : "them"}, or a human must judge what ${one ? "it" : "they"} would have shown`,
    );
  }
  if (unreadable.length > 0) {
    const first = unreadable[0]!;
    read.add(
      "unreadable",
      first.at,
      `its ${unreadable.length === 1 ? "surface" : "surfaces"} ${nameList(unreadable.map((u) => u.name))} cannot be read (${fieldName(first.at)} is ${describeValue(first.value)}, not ${first.expected}); the gate cannot tell whether the required surfaces were covered, so a human must judge it, and the producer should write each surface as \`{ id, required, status }\``,
    );
  }
}
