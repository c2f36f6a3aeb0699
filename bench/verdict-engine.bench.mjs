// Issue #2 §8: the verdict engine against its floor (JSON.parse + sha256 of the same bytes) and
// against the same rules in json-rules-engine, for a typical bundle and a ~1 MB bundle.
import { createHash } from "node:crypto";
import { decodeText } from "../dist/document/decode-text.js";
import { DEFAULT_LIMITS } from "../dist/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../dist/evidence/open-bundle.js";
import { readPolicy } from "../dist/policy/read-policy.js";
import { evaluate } from "../dist/verdict/evaluate.js";
import { BENCH_NOW, megabyteBundle, typicalBundle, typicalWithoutPlanBundle, variantBundles } from "./bundles.mjs";
import { check, fmt, formatRow, measure, TABLE_HEAD } from "./harness.mjs";
import { buildIdiomaticGate, buildOperatorGate } from "./json-rules-engine-gate.mjs";

export async function run() {
  const policy = await readPolicy();
  const idiomatic = buildIdiomaticGate(policy);
  const operators = buildOperatorGate(policy);
  const judge = (bytes) => evaluate(assembleInput(openBundle("bundle.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, BENCH_NOW);
  // Every row decodes with the same function Patchwarden uses, so no row wins on decoding.
  const floor = (bytes) => {
    JSON.parse(decodeText(bytes));
    createHash("sha256").update(bytes).digest("hex");
  };

  // A comparison is only fair if the rule engines reach the same verdicts.
  const cases = [["typical", typicalBundle], ["1 MB", megabyteBundle], ...variantBundles];
  for (const [name, bytes] of cases) {
    const ours = judge(bytes).verdict;
    for (const [label, gate] of [["idiomatic", idiomatic], ["operators", operators]]) {
      const theirs = (await gate(bytes, BENCH_NOW)).verdict;
      if (theirs !== ours) throw new Error(`${name}: json-rules-engine (${label}) says ${theirs}, patchwarden ${ours}; the comparison would be unfair`);
    }
  }
  console.log(`\nboth json-rules-engine versions reach Patchwarden's verdict on all ${cases.length} bundles (${cases.map(([n]) => n).join(", ")})`);

  let ok = true;
  const results = {};
  for (const [label, bytes, iterations, jreIterations] of [
    ["typical", typicalBundle, 20_000, 2_000],
    ["1 MB", megabyteBundle, 200, 20],
  ]) {
    const items = JSON.parse(bytes.toString("utf8")).evidence.length;
    console.log(`\n### ${label} bundle: ${(bytes.length / 1024).toFixed(1)} KiB, ${items} evidence items, verdict ${judge(bytes).verdict}\n`);
    const rows = [
      await measure("floor: JSON.parse + sha256", () => floor(bytes), { iterations }),
      await measure("patchwarden: parse + validate + evaluate", () => judge(bytes), { iterations }),
      await measure("json-rules-engine, rules as JSON + JSONPath", () => idiomatic(bytes, BENCH_NOW), { iterations: jreIterations, async: true }),
      await measure("json-rules-engine, checks as JS operators (lower bound)", () => operators(bytes, BENCH_NOW), { iterations: jreIterations * 2, async: true }),
    ];
    console.log(TABLE_HEAD);
    for (const row of rows) console.log(formatRow(row));
    const [f, p, j, o] = rows;
    results[label] = rows;
    console.log("");
    if (label === "typical") ok = check("typical p99 under 1 ms", p.p99Ms < 1, fmt(p.p99Ms)) && ok;
    ok = check(`${label}: at most 2× the floor (p50)`, p.p50Ms <= 2 * f.p50Ms, `${(p.p50Ms / f.p50Ms).toFixed(2)}× at p50, ${(p.meanMs / f.meanMs).toFixed(2)}× by mean`) && ok;
    ok = check(`${label}: at least 10× faster than json-rules-engine (mean)`, j.meanMs >= 10 * p.meanMs, `${(j.meanMs / p.meanMs).toFixed(1)}× (lower-bound variant: ${(o.meanMs / p.meanMs).toFixed(1)}×)`) && ok;
  }
  // Context, no target: how much of the typical bundle's cost is its drift plan.
  const bytes = typicalWithoutPlanBundle;
  console.log(`\n### for context: the typical bundle without its drift plan: ${(bytes.length / 1024).toFixed(1)} KiB, ${JSON.parse(bytes.toString("utf8")).evidence.length} evidence items, verdict ${judge(bytes).verdict}\n`);
  const [f, p] = [await measure("floor: JSON.parse + sha256", () => floor(bytes), { iterations: 20_000 }), await measure("patchwarden: parse + validate + evaluate", () => judge(bytes), { iterations: 20_000 })];
  console.log(TABLE_HEAD);
  for (const row of [f, p]) console.log(formatRow(row));
  console.log(`\n${(p.p50Ms / f.p50Ms).toFixed(2)}× the floor at p50, ${(p.meanMs / f.meanMs).toFixed(2)}× by mean`);
  results["typical without plan"] = [f, p];
  return { ok, results };
}
