import { quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, fieldName, holdsInstead, nameList, type Segment } from "./data-findings.js";
import { HEALTH_TS, isEpochMillis } from "./observed-time.js";

/**
 * `runtime-truth-report`: the OpenClaw output the report carries (`readyz`, `openclaw health
 * --json`, `openclaw gateway probe --json`, the systemd unit, a check summary), read against the
 * status the report gives itself. A gateway has been seen reporting ready while draining: the
 * gate takes the worse of the two. Absent fields are not judged, except a present probe's `ok`;
 * present ones of the wrong type hold the verdict (see data-findings.ts).
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
  // Its age is the freshness rule's (observed-time.ts); one it cannot place is unreadable here.
  const ts = health["ts"];
  if (ts !== undefined && !isEpochMillis(ts)) read.wrongType(HEALTH_TS, ts, "a time in epoch milliseconds", "when the health snapshot was taken");
  const channels = read.object(health, ["health", "channels"], "which channels answered their probes");
  if (channels === undefined) return;
  const probes = new ProbeResults();
  for (const id of Object.keys(channels)) readChannel(probes, id, channels[id]);
  probes.report(read);
}


/**
 * Each channel's probes: the channel is its default account's summary, and `accounts` holds one
 * summary per account (OpenClaw's own formatter reports the channel failed when any account's
 * probe failed). One reason per outcome, naming `channel` or `channel/account`: a report with
 * many channels must not bury the verdict.
 */
class ProbeResults {
  readonly failed: { name: string; at: Segment[] }[] = [];
  readonly unreadable: { name: string; at: Segment[]; value: unknown; expected: string }[] = [];

  /**
   * One account summary (or the channel's own): its `probe.ok`, when it has a probe. A probe
   * without `ok` (`{ status: 503, error }`) does not say it passed, so it is unreadable.
   */
  summary(name: string, at: Segment[], summary: unknown): void {
    if (!isRecord(summary)) {
      this.unreadable.push({ name, at, value: summary, expected: "an object" });
      return;
    }
    const probe = summary["probe"];
    if (probe === undefined) return;
    if (!isRecord(probe)) {
      this.unreadable.push({ name, at: [...at, "probe"], value: probe, expected: "an object" });
      return;
    }
    const ok = probe["ok"];
    if (ok === false) this.failed.push({ name, at: [...at, "probe", "ok"] });
    else if (ok !== true) this.unreadable.push({ name, at: [...at, "probe", "ok"], value: ok, expected: "`true` or `false`" });
  }

  report(read: DataReader): void {
    if (this.failed.length > 0) {
      const { at } = this.failed[0]!;
      const one = this.failed.length === 1;
      read.add("failed", at, `its channel ${one ? "probe" : "probes"} failed for ${nameList(this.failed.map((f) => f.name))} (${fieldName(at)} is \`false\`); fix the ${one ? "channel" : "channels"}, or take the report again once every probe is ok`);
    }
    if (this.unreadable.length > 0) {
      const first = this.unreadable[0]!;
      read.add(
        "unreadable",
        first.at,
        `its channel probe results for ${nameList(this.unreadable.map((u) => u.name))} cannot be read (${fieldName(first.at)} ${holdsInstead(first.value, first.expected)}); the gate cannot tell whether those channels answered, so a human must judge it, and the producer should write \`openclaw health --json\` as it is`,
      );
    }
  }
}

function readChannel(probes: ProbeResults, id: string, channel: unknown): void {
  const at = ["health", "channels", id];
  probes.summary(id, at, channel);
  if (!isRecord(channel)) return;
  const accounts = channel["accounts"];
  if (accounts === undefined) return;
  if (!isRecord(accounts)) {
    probes.unreadable.push({ name: id, at: [...at, "accounts"], value: accounts, expected: "an object" });
    return;
  }
  for (const account of Object.keys(accounts)) probes.summary(`${id}/${account}`, [...at, "accounts", account], accounts[account]);
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
  const fail = failCount(read, summary);
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

/** Any number above 0 says checks failed, even one that is no exact count (`1e20`, `2.5`): never only "cannot tell". */
function failCount(read: DataReader, summary: Record<string, unknown>): number | undefined {
  const fail = summary["fail"];
  if (typeof fail === "number" && fail > 0) return fail;
  return read.count(summary, ["summary", "fail"], "how many checks failed");
}
