import { quote } from "../../diagnostics/diagnostic.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, fieldName } from "./data-findings.js";

const OPENED = ["opened_at"] as const;
const CLOSED = ["closed_at"] as const;
const A_TIME = "an ISO-8601 time with an offset";
const A_CLOSURE = `${A_TIME}, or \`null\` while the incident is open`;

/**
 * `incident-packet`: a `pass` says the record is complete, not that the incident is over. One
 * still open (`closed_at: null`, or closed only after the packet was written) means the runtime has
 * not settled, as an open incident on the autoheal dashboard does: a human judges whether the
 * repair goes ahead while it is open. An absent `closed_at` is not judged (the status stands for
 * it). `severity` is not read: the contract names no scale for it.
 */
export const inspectIncidentPacket: KindInspector = (item, index, { policy, times }) => {
  if (item.status === "fail") return []; // nothing in the data can be worse
  const read = new DataReader();
  const opened = readTime(read, item.data, OPENED, A_TIME, "when the incident opened");
  const closedValue = item.data["closed_at"];
  if (closedValue === null) {
    read.add("degraded", CLOSED, `its ${fieldName(CLOSED)} is \`null\`: the incident is still open, so the runtime has not settled; a human must judge whether the repair can go ahead while it is open`);
    return dataReasons(item, index, read.findings);
  }
  const closed = readTime(read, item.data, CLOSED, A_CLOSURE, "whether the incident is closed");
  if (closed === undefined) return dataReasons(item, index, read.findings);
  const written = times[index]!.generated;
  if (closed.time > written + policy.skewToleranceSeconds * 1000) {
    read.add(
      "degraded",
      CLOSED,
      `its ${fieldName(CLOSED)} is ${quote(closed.text)}, after the packet itself was written (${quote(item.generated_at)}): when it was written the incident was still open, so a human must judge whether it is closed now, and the producer should write the packet again once it is`,
    );
  } else if (opened !== undefined && closed.time < opened.time) {
    read.add(
      "unreadable",
      CLOSED,
      `its ${fieldName(CLOSED)} (${quote(closed.text)}) is before its ${fieldName(OPENED)} (${quote(opened.text)}); the gate cannot tell whether the incident is closed, so a human must judge it, and the producer should correct the record`,
    );
  }
  return dataReasons(item, index, read.findings);
};

/** A documented time: text the gate can place, else unreadable (a time without a zone is never guessed). */
function readTime(read: DataReader, data: Record<string, unknown>, at: readonly string[], expected: string, cannotTell: string): { text: string; time: number } | undefined {
  const value = data[at[0]!];
  if (value === undefined) return undefined;
  const time = typeof value === "string" ? parseIsoTime(value) : null;
  if (typeof value === "string" && time !== null) return { text: value, time };
  read.wrongType(at, value, expected, cannotTell);
  return undefined;
}
