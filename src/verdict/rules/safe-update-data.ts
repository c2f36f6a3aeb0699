import { quote } from "../../diagnostics/diagnostic.js";
import { KIT_BUNDLE_FILE, KIT_BUNDLE_SCHEMA_ID } from "../../evidence/safe-update/kit-schemas.js";
import { KIT_BUNDLE_SUBJECT } from "../../evidence/safe-update/artifact-map.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, fieldName } from "./data-findings.js";

/**
 * `safe-update-dry-run`: the kit's verdict and gate decision, read against the status the item
 * gives itself. The kit's `blocked` is a failure and is never upgraded, wherever it is written;
 * a gate decision that failed is a failure too.
 *
 * One item is passed over: the one the gate itself builds from a kit run's `evidence-bundle.json`
 * to read it for approval claims (always `pass`). Its verdict is judged against `verdict.json`
 * when the run is read (`producer_record_inconsistent`), and a blocked run's own verdict item
 * already fails. Only a kit run has it: a hand-written bundle with that subject is read like any other.
 */
export const inspectSafeUpdateDryRun: KindInspector = (item, index, context) => {
  if (item.status === "fail") return []; // nothing in the data can be worse
  if (context.input.format === KIT_BUNDLE_SCHEMA_ID && item.subject === KIT_BUNDLE_SUBJECT && item.id === KIT_BUNDLE_FILE) return [];
  const read = new DataReader();
  const verdict = read.text(item.data, ["verdict"], "what the safe-update kit decided");
  if (verdict === "blocked") {
    read.add("failed", ["verdict"], `its ${fieldName(["verdict"])} is \`blocked\`: the safe-update kit blocked the upgrade, and the gate never upgrades a kit's \`blocked\`; fix what the kit reports and run it again`);
  } else if (verdict !== undefined && verdict !== "ready_for_operator_plan") {
    read.add(
      "unreadable",
      ["verdict"],
      `its ${fieldName(["verdict"])} is ${quote(verdict)}, neither \`ready_for_operator_plan\` nor \`blocked\`; the gate cannot tell what the kit decided, so a human must judge it`,
    );
  }
  const gate = read.object(item.data, ["gate_decision"], "what the kit's gates decided");
  if (gate !== undefined) {
    const status = read.text(gate, ["gate_decision", "status"], "whether the kit's gates passed");
    if (status === "failed" || status === "blocked") {
      read.add("failed", ["gate_decision", "status"], `its ${fieldName(["gate_decision", "status"])} is ${quote(status)}: the kit's gates did not pass; fix what they report and run the kit again`);
    } else if (status !== undefined && status !== "success") {
      read.add(
        "unreadable",
        ["gate_decision", "status"],
        `its ${fieldName(["gate_decision", "status"])} is ${quote(status)}, neither \`success\` nor \`failed\`; the gate cannot tell whether the kit's gates passed, so a human must judge it`,
      );
    }
    const handling = read.text(gate, ["gate_decision", "handling"], "how the kit's gates handled the upgrade");
    if (handling === "blocked") {
      read.add("failed", ["gate_decision", "handling"], `its ${fieldName(["gate_decision", "handling"])} is \`blocked\`: the kit's gates blocked the upgrade; fix what they report and run the kit again`);
    }
  }
  return dataReasons(item, index, read.findings);
};
