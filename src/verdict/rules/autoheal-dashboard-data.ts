import { quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, fieldName, holdsInstead, nameList } from "./data-findings.js";

/**
 * `autoheal-dashboard`: its health checks, open incidents and last autoheal run, read against the
 * status the snapshot gives itself. A failed check is a failure; an open incident or a last run
 * that was not `clean` is for a human to judge, whatever the snapshot says.
 */
export const inspectAutohealDashboard: KindInspector = (item, index) => {
  if (item.status === "fail") return []; // nothing in the data can be worse
  const read = new DataReader();
  readChecks(read, item.data);
  const open = read.count(item.data, ["open_incidents"], "how many incidents are open");
  if (open !== undefined && open > 0) {
    read.add(
      "degraded",
      ["open_incidents"],
      `its ${fieldName(["open_incidents"])} is ${quote(open)}: ${open === 1 ? "an incident is" : `${open} incidents are`} still open, so the runtime has not settled; a human must judge whether the repair can go ahead while ${open === 1 ? "it is" : "they are"} open`,
    );
  }
  const lastRun = read.object(item.data, ["last_run"], "how the last autoheal run ended");
  if (lastRun !== undefined) {
    const result = read.text(lastRun, ["last_run", "result"], "how the last autoheal run ended");
    // A run that does not say how it ended is not a clean one.
    if (lastRun["result"] === undefined) {
      read.add("unreadable", ["last_run", "result"], `its ${fieldName(["last_run"])} has no \`result\`; the gate cannot tell how the last autoheal run ended, so a human must judge it, and the producer should write \`result\` (\`clean\` when nothing was found or done)`);
    } else if (result !== undefined && result !== "clean") {
      read.add("degraded", ["last_run", "result"], `its ${fieldName(["last_run", "result"])} is ${quote(result)}, not \`clean\`: the last autoheal run found or did something; a human must read what before the repair goes ahead`);
    }
  }
  return dataReasons(item, index, read.findings);
};

function readChecks(read: DataReader, data: Record<string, unknown>): void {
  const checks = data["checks"];
  if (checks === undefined) return;
  if (!Array.isArray(checks)) {
    read.wrongType(["checks"], checks, "a list of checks", "which checks passed");
    return;
  }
  // One reason per outcome, naming the checks: a dashboard with many checks must not bury the verdict.
  const failed: { name: string; i: number }[] = [];
  const unreadable: { name: string; at: (string | number)[]; value: unknown; expected: string }[] = [];
  checks.forEach((check: unknown, i) => {
    if (!isRecord(check)) {
      unreadable.push({ name: `checks[${i}]`, at: ["checks", i], value: check, expected: "an object" });
      return;
    }
    const name = typeof check["id"] === "string" ? check["id"] : `checks[${i}]`;
    const ok = check["ok"];
    if (ok === false) failed.push({ name, i });
    // A check without `ok` (`{ id, status: "fail" }`) does not say it passed.
    else if (ok !== true) unreadable.push({ name, at: ["checks", i, "ok"], value: ok, expected: "`true` or `false`" });
  });
  if (failed.length > 0) {
    const at = ["checks", failed[0]!.i, "ok"];
    read.add(
      "failed",
      at,
      `its ${failed.length === 1 ? "check" : "checks"} ${nameList(failed.map((f) => f.name))} failed (${fieldName(at)} is \`false\`); fix what failed, or take the snapshot again once every check is ok`,
    );
  }
  if (unreadable.length > 0) {
    const first = unreadable[0]!;
    read.add(
      "unreadable",
      first.at,
      `its ${unreadable.length === 1 ? "check" : "checks"} ${nameList(unreadable.map((u) => u.name))} cannot be read (${fieldName(first.at)} ${holdsInstead(first.value, first.expected)}); the gate cannot tell whether ${unreadable.length === 1 ? "it" : "they"} passed, so a human must judge it, and the producer should write each check as \`{ id, ok }\``,
    );
  }
}
