import { quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, describeValue, fieldName, nameList } from "./data-findings.js";

/**
 * `runtime-truth-report`: the OpenClaw output the report carries (`readyz`, `openclaw health
 * --json`, `openclaw gateway probe --json`, the systemd unit, a check summary), read against the
 * status the report gives itself. A gateway has been seen reporting ready while draining: the
 * gate takes the worse of the two. Absent fields are not judged; present ones of the wrong type
 * hold the verdict (see data-findings.ts).
 */
export const inspectRuntimeTruth: KindInspector = (item, index) => {
  if (item.status === "fail") return []; // nothing in the data can be worse
  const read = new DataReader();
  readReadyz(read, item.data);
  readHealth(read, item.data);
  readGatewayProbe(read, item.data);
  readUnit(read, item.data);
  readSummary(read, item.data);
  return dataReasons(item, index, read.findings);
};

function readReadyz(read: DataReader, data: Record<string, unknown>): void {
  const readyz = read.object(data, ["readyz"], "what `/readyz` answered");
  if (readyz === undefined) return;
  const draining = read.boolean(readyz, ["readyz", "draining"], "whether the gateway is draining");
  if (draining === true) {
    read.add("failed", ["readyz", "draining"], `its ${fieldName(["readyz", "draining"])} is \`true\`: the gateway is draining, so it is not ready whatever else the report says; take the report again once it serves`);
  }
  const status = read.count(readyz, ["readyz", "status"], "what `/readyz` answered");
  if (status !== undefined && (status < 200 || status > 299)) {
    read.add("failed", ["readyz", "status"], `its ${fieldName(["readyz", "status"])} is ${quote(status)}: \`/readyz\` did not answer ready; take the report again once it answers 2xx`);
  }
}

function readHealth(read: DataReader, data: Record<string, unknown>): void {
  const health = read.object(data, ["health"], "what `openclaw health --json` said");
  if (health === undefined) return;
  if (read.boolean(health, ["health", "ok"], "whether the gateway is healthy") === false) {
    read.add("failed", ["health", "ok"], `its ${fieldName(["health", "ok"])} is \`false\`: \`openclaw health --json\` reports the gateway unhealthy; fix it, or take the report again once health is ok`);
  }
  const channels = read.object(health, ["health", "channels"], "which channels answered their probes");
  if (channels === undefined) return;
  // One reason per outcome, naming the channels: a report with many channels must not bury the verdict.
  const failed: string[] = [];
  const unreadable: { id: string; at: (string | number)[]; value: unknown; expected: string }[] = [];
  for (const id of Object.keys(channels)) {
    const channel = channels[id];
    if (!isRecord(channel)) {
      unreadable.push({ id, at: ["health", "channels", id], value: channel, expected: "an object" });
      continue;
    }
    const probe = channel["probe"];
    if (probe === undefined) continue;
    if (!isRecord(probe)) {
      unreadable.push({ id, at: ["health", "channels", id, "probe"], value: probe, expected: "an object" });
      continue;
    }
    const ok = probe["ok"];
    if (ok === false) failed.push(id);
    else if (ok !== undefined && ok !== true) unreadable.push({ id, at: ["health", "channels", id, "probe", "ok"], value: ok, expected: "`true` or `false`" });
  }
  if (failed.length > 0) {
    const at = ["health", "channels", failed[0]!, "probe", "ok"];
    const probes = failed.length === 1 ? "probe" : "probes";
    read.add("failed", at, `its channel ${probes} failed for ${nameList(failed)} (${fieldName(at)} is \`false\`); fix the ${failed.length === 1 ? "channel" : "channels"}, or take the report again once every probe is ok`);
  }
  if (unreadable.length > 0) {
    const first = unreadable[0]!;
    read.add(
      "unreadable",
      first.at,
      `its channel probe results for ${nameList(unreadable.map((u) => u.id))} cannot be read (${fieldName(first.at)} is ${describeValue(first.value)}, not ${first.expected}); the gate cannot tell whether those channels answered, so a human must judge it, and the producer should write \`openclaw health --json\` as it is`,
    );
  }
}

function readGatewayProbe(read: DataReader, data: Record<string, unknown>): void {
  const probe = read.object(data, ["gateway_probe"], "what `openclaw gateway probe --json` said");
  if (probe === undefined) return;
  if (read.boolean(probe, ["gateway_probe", "ok"], "whether the gateway probe passed") === false) {
    read.add("failed", ["gateway_probe", "ok"], `its ${fieldName(["gateway_probe", "ok"])} is \`false\`: \`openclaw gateway probe\` failed; fix the gateway, or take the report again once the probe is ok`);
  }
  if (read.boolean(probe, ["gateway_probe", "degraded"], "whether the gateway is degraded") === true) {
    const capability = typeof probe["capability"] === "string" ? ` (capability ${quote(probe["capability"])})` : "";
    const codes = Array.isArray(probe["warnings"]) ? probe["warnings"].flatMap((w: unknown) => (isRecord(w) && typeof w["code"] === "string" ? [w["code"]] : [])) : [];
    const warned = codes.length > 0 ? `, warning ${nameList(codes)}` : "";
    read.add(
      "degraded",
      ["gateway_probe", "degraded"],
      `its ${fieldName(["gateway_probe", "degraded"])} is \`true\`: the gateway answers degraded${capability}${warned}; a human must judge whether the repair can go ahead, or take the report again once the probe is not degraded`,
    );
  }
}

function readUnit(read: DataReader, data: Record<string, unknown>): void {
  const unit = read.object(data, ["unit"], "the state of the systemd unit");
  if (unit === undefined) return;
  const active = read.text(unit, ["unit", "active"], "whether the systemd unit is active");
  if (active !== undefined && active !== "active") {
    const name = typeof unit["name"] === "string" ? ` ${quote(unit["name"])}` : "";
    read.add("failed", ["unit", "active"], `its ${fieldName(["unit", "active"])} is ${quote(active)}, not \`active\`: the systemd unit${name} is not running; take the report again once it is active`);
  }
}

/** `{ total, pass, fail, skip, ok }`, the counts of a check run as the safe-update field record writes them. A skip is not a pass. */
function readSummary(read: DataReader, data: Record<string, unknown>): void {
  const summary = read.object(data, ["summary"], "how many checks passed");
  if (summary === undefined) return;
  const total = read.count(summary, ["summary", "total"], "how many checks ran");
  const pass = read.count(summary, ["summary", "pass"], "how many checks passed");
  const fail = read.count(summary, ["summary", "fail"], "how many checks failed");
  const skip = read.count(summary, ["summary", "skip"], "how many checks were skipped");
  const ok = read.boolean(summary, ["summary", "ok"], "whether the checks passed");
  const of = total !== undefined ? ` of ${quote(total)}` : "";
  if (fail !== undefined && fail > 0) {
    read.add("failed", ["summary", "fail"], `its ${fieldName(["summary", "fail"])} is ${quote(fail)}: ${fail}${of} checks failed; fix what failed, or take the report again once none fails`);
  } else if (ok === false) {
    read.add("failed", ["summary", "ok"], `its ${fieldName(["summary", "ok"])} is \`false\`: the checks did not pass; fix what failed, or take the report again once they pass`);
  }
  if (skip !== undefined && skip > 0) {
    read.add("degraded", ["summary", "skip"], `its ${fieldName(["summary", "skip"])} is ${quote(skip)}: ${skip}${of} checks were skipped, and a skip is not a pass; run them, or a human must judge what they would have shown`);
  } else if ((fail ?? 0) === 0 && ok !== false && total !== undefined && pass !== undefined && pass < total) {
    read.add("degraded", ["summary", "pass"], `its ${fieldName(["summary", "pass"])} is ${quote(pass)}: only ${pass} of ${total} checks passed, and the rest are not accounted for; a human must judge them, or take the report again`);
  }
}
