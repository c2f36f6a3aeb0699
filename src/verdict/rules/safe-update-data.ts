import { quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import { KIT_BUNDLE_FILE, KIT_BUNDLE_SCHEMA_ID } from "../../evidence/safe-update/kit-schemas.js";
import { KIT_BUNDLE_SUBJECT } from "../../evidence/safe-update/artifact-map.js";
import type { KindInspector } from "../kind-inspectors.js";
import { DataReader, dataReasons, fieldName, holdsInstead, nameList, type Segment } from "./data-findings.js";

/**
 * `safe-update-dry-run`: the kit's verdict and gate decision, read against the status the item
 * gives itself, wherever the kit writes them: `verdict.json` at its top level, in
 * `decision_content` and in its `compatibility_view`, `conservative-gates.json` at its top level
 * and per decision, and a hand-written `gate_decision`. The worst counts: the kit's `blocked` or
 * `failed` is a failure and is never upgraded, and a word outside the kit's schemas is unreadable.
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
  const containers = new Containers(read, item.data);
  for (const { at, in: container, words } of KIT_FIELDS) {
    const parent = containers.get(container);
    if (parent !== undefined) readWord(read, parent, at, words);
  }
  readDecisions(read, item.data);
  readEvidenceStatus(read, containers.get("decision_content"));
  return dataReasons(item, index, read.findings);
};


/** The kit's words for a field (its JSON Schemas' enums): those that pass, those that are its failure. */
interface Vocabulary {
  fine: readonly string[];
  failed: readonly string[];
  /** Completes "its … is `blocked`: …". */
  means: string;
  cannotTell: string;
}

const VERDICT: Vocabulary = { fine: ["ready_for_operator_plan"], failed: ["blocked"], means: "the safe-update kit blocked the upgrade", cannotTell: "what the kit decided" };
const STATUS: Vocabulary = { fine: ["success"], failed: ["failed", "blocked"], means: "the kit records a failure", cannotTell: "whether the kit's record passed" };
const GATE_STATUS: Vocabulary = { fine: ["success"], failed: ["failed", "blocked"], means: "the kit's gates did not pass", cannotTell: "whether the kit's gates passed" };
const HANDLING: Vocabulary = { fine: ["baseline", "conservative"], failed: ["blocked"], means: "the kit's gates blocked the upgrade", cannotTell: "how the kit's gates handled the upgrade" };
const OUTCOME: Vocabulary = { fine: ["pass", "conservative"], failed: ["blocked"], means: "the kit's gates blocked the upgrade", cannotTell: "whether the kit's gates passed" };

/** The objects the kit's fields sit in (`in`: the one each sits in; "" is the item's data). */
type Container = "" | "gate_decision" | "decision_content" | "decision_content.gate_decision" | "compatibility_view" | "compatibility_view.payload";

const CONTAINERS: ReadonlyMap<Exclude<Container, "">, { at: readonly Segment[]; in: Container }> = new Map([
  ["gate_decision", { at: ["gate_decision"], in: "" }],
  ["decision_content", { at: ["decision_content"], in: "" }],
  ["decision_content.gate_decision", { at: ["decision_content", "gate_decision"], in: "decision_content" }],
  ["compatibility_view", { at: ["compatibility_view"], in: "" }],
  ["compatibility_view.payload", { at: ["compatibility_view", "payload"], in: "compatibility_view" }],
]);

const KIT_FIELDS: readonly { at: readonly Segment[]; in: Container; words: Vocabulary }[] = [
  { at: ["verdict"], in: "", words: VERDICT },
  // conservative-gates.json
  { at: ["status"], in: "", words: STATUS },
  { at: ["handling"], in: "", words: HANDLING },
  { at: ["gate_decision", "status"], in: "gate_decision", words: GATE_STATUS },
  { at: ["gate_decision", "handling"], in: "gate_decision", words: HANDLING },
  // verdict.json
  { at: ["decision_content", "verdict"], in: "decision_content", words: VERDICT },
  { at: ["decision_content", "gate_decision", "status"], in: "decision_content.gate_decision", words: GATE_STATUS },
  { at: ["decision_content", "gate_decision", "handling"], in: "decision_content.gate_decision", words: HANDLING },
  { at: ["compatibility_view", "payload", "verdict"], in: "compatibility_view.payload", words: VERDICT },
];

/**
 * The containers, each read once when first needed: a `decision_content` of the wrong type is one
 * reason, not three. Named by fixed keys, not by their paths: this runs on every evaluation.
 */
class Containers {
  private readonly found = new Map<Container, Record<string, unknown> | undefined>();
  constructor(
    private readonly read: DataReader,
    data: Record<string, unknown>,
  ) {
    this.found.set("", data);
  }

  get(container: Container): Record<string, unknown> | undefined {
    if (!this.found.has(container)) {
      const { at, in: outer } = CONTAINERS.get(container as Exclude<Container, "">)!;
      const parent = this.get(outer);
      this.found.set(container, parent === undefined ? undefined : this.read.object(parent, at, "what the safe-update kit decided"));
    }
    return this.found.get(container);
  }
}

/** "`a`, `b` or `c`" */
function wordList(words: Vocabulary): string {
  const all = [...words.fine, ...words.failed].map((w) => `\`${w}\``);
  return `${all.slice(0, -1).join(", ")}${all.length > 1 ? " or " : ""}${all[all.length - 1]}`;
}

function readWord(read: DataReader, parent: Record<string, unknown>, at: readonly Segment[], words: Vocabulary): void {
  const value = read.text(parent, at, words.cannotTell);
  if (value === undefined || words.fine.includes(value)) return;
  if (words.failed.includes(value)) {
    read.add("failed", at, `its ${fieldName(at)} is ${quote(value)}: ${words.means}, and the gate never upgrades the kit's ${quote(value)}; fix what the kit reports and run it again`);
  } else {
    read.add("unreadable", at, `its ${fieldName(at)} is ${quote(value)}, not ${wordList(words)}; the gate cannot tell ${words.cannotTell}, so a human must judge it`);
  }
}

/** One of many fields in the kit's words, named for messages. */
interface Word {
  name: string;
  at: Segment[];
  value: unknown;
  /** When the value is not where a word should be: "an object". */
  expected?: string;
}

/** Many fields in the kit's words (its gate decisions, its per-artifact statuses): one reason per outcome, naming them. */
function readWords(read: DataReader, entries: readonly Word[], words: Vocabulary, noun: [string, string]): void {
  const failed = entries.filter((e) => e.expected === undefined && typeof e.value === "string" && words.failed.includes(e.value));
  const unreadable = entries.filter((e) => e.expected !== undefined || typeof e.value !== "string" || (!words.failed.includes(e.value) && !words.fine.includes(e.value)));
  const named = (list: readonly Word[]) => `${noun[list.length === 1 ? 0 : 1]} ${nameList(list.map((e) => e.name))}`;
  if (failed.length > 0) {
    const first = failed[0]!;
    read.add("failed", first.at, `its ${named(failed)} did not pass (${fieldName(first.at)} is ${quote(first.value)}): ${words.means}, and the gate never upgrades the kit's failure; fix what the kit reports and run it again`);
  }
  if (unreadable.length > 0) {
    const first = unreadable[0]!;
    read.add(
      "unreadable",
      first.at,
      `its ${named(unreadable)} cannot be read (${fieldName(first.at)} ${holdsInstead(first.value, first.expected ?? wordList(words))}); the gate cannot tell ${words.cannotTell}, so a human must judge it`,
    );
  }
}

/**
 * conservative-gates.json's `decisions: [{ id, outcome }]`. Every decision is judged: one that does
 * not say how it ended (no `outcome`) is not read as passed, but as unreadable.
 */
function readDecisions(read: DataReader, data: Record<string, unknown>): void {
  const decisions = data["decisions"];
  if (decisions === undefined) return;
  if (!Array.isArray(decisions)) {
    read.wrongType(["decisions"], decisions, "a list of gate decisions", "whether the kit's gates passed");
    return;
  }
  const entries: Word[] = [];
  decisions.forEach((decision: unknown, i) => {
    if (!isRecord(decision)) {
      entries.push({ name: `decisions[${i}]`, at: ["decisions", i], value: decision, expected: "an object" });
    } else {
      entries.push({ name: typeof decision["id"] === "string" ? decision["id"] : `decisions[${i}]`, at: ["decisions", i, "outcome"], value: decision["outcome"] });
    }
  });
  readWords(read, entries, OUTCOME, ["gate decision", "gate decisions"]);
}

/** verdict.json's `decision_content.evidence_status: { <artifact>: status }`. */
function readEvidenceStatus(read: DataReader, decision: Record<string, unknown> | undefined): void {
  if (decision === undefined) return;
  const statuses = read.object(decision, ["decision_content", "evidence_status"], "which of the kit's records passed");
  if (statuses === undefined) return;
  const entries = Object.keys(statuses).map((name) => ({ name, at: ["decision_content", "evidence_status", name], value: statuses[name] }));
  readWords(read, entries, STATUS, ["recorded status of", "recorded statuses of"]);
}
