import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";

// The kind inspectors' tests (evidence-data*.test.ts and their neighbours) bend one green bundle.
export const NOW = Date.parse("2026-11-21T12:00:00Z");
export const policy = await readPolicy();
const example = (kind: string) => JSON.parse(readFileSync(fixture(`examples/kinds/${kind}.json`), "utf8")) as Record<string, any>;
/** A file of the safe-update kit's green run, as the kit wrote it. */
const kitFile = (file: string) => JSON.parse(readFileSync(fixture(`openclaw-runs/green/${file}`), "utf8")) as Record<string, any>;

export const RT = 0;
export const AUTOHEAL = 1;
export const INCIDENT = 2; // the example bundle's packet, closed at 11:40:22 and written at 11:45
export const SIMULATOR = 3;
export const SAFE_UPDATE = 4;
export const KIT_GATES = 5;
export const KIT_VERDICT = 6;
export const KIT_COMPAT = 7;
export const KIT_COVERAGE = 8;

/**
 * The shipped example bundle, with every documented field present: the spec's full examples of a
 * runtime-truth report (with a second account on its matrix channel, as `openclaw health --json`
 * writes one) and an autoheal dashboard, plus an upgrade rehearsal and a safe-update verdict
 * (fresh, without their artifacts), and four of the safe-update kit's own files carried as `data`.
 * Eligible as it stands.
 */
export function greenBundle(): Record<string, any> {
  const bundle = parse(readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")) as Record<string, any>;
  const fresh = (item: Record<string, any>) => {
    delete item["artifact"];
    delete item["sha256"];
    return { ...item, generated_at: "2026-11-21T11:50:00Z" };
  };
  bundle.evidence[0] = example("runtime-truth-report");
  bundle.evidence[1] = fresh(example("autoheal-dashboard"));
  bundle.evidence[0].data.summary = { total: 19, pass: 19, fail: 0, skip: 0, ok: true };
  bundle.evidence[0].data.health.channels.matrix.accounts = {
    default: { accountId: "default", probe: { ok: true, status: 200, error: null } },
    work: { accountId: "work", probe: { ok: true, status: 200, error: null } },
  };
  bundle.evidence.push(fresh(example("openclaw-upgrade-simulator")), fresh(example("safe-update-dry-run")));
  const kit = (kind: string, subject: string, file: string) => ({ kind, subject, generated_at: "2026-11-21T11:50:00Z", status: "pass", data: kitFile(file) });
  bundle.evidence.push(
    kit("safe-update-dry-run", "conservative-gates", "conservative-gates.json"),
    kit("safe-update-dry-run", "kit-verdict", "verdict.json"),
    kit("openclaw-upgrade-simulator", "customization-compatibility", "customization-compatibility.json"),
    kit("openclaw-upgrade-simulator", "installation-coverage", "coverage-report.json"),
  );
  return bundle;
}

export function judge(bundle: unknown): Verdict {
  const bytes = Buffer.from(JSON.stringify(bundle));
  return evaluate(assembleInput(openBundle("b.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}

/** The green bundle with one item's data (and the item itself) edited. */
export function judgeEdit(index: number, edit: (data: Record<string, any>, item: Record<string, any>) => void): Verdict {
  const bundle = greenBundle();
  edit(bundle.evidence[index].data, bundle.evidence[index]);
  return judge(bundle);
}

/** The reasons that are not informational, by code and path. */
export const notInfo = (verdict: Verdict) => verdict.reasons.filter((r) => r.severity !== "info").map((r) => ({ code: r.code, path: r.path }));
