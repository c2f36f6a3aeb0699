// npm run bench: every benchmark suite, one after another, with figures and target checks.
// Figures go to docs/benchmarks.md by hand, with the machine they were measured on.
import os from "node:os";

const suites = {
  "verdict-engine": () => import("./verdict-engine.bench.mjs"),
  drift: () => import("./drift.bench.mjs"),
  webhook: () => import("./webhook.bench.mjs"),
  receipts: () => import("./receipts.bench.mjs"),
};

const only = process.argv.slice(2);
console.log(`# Patchwarden benchmarks\n\nnode ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`);
let allOk = true;
for (const [name, load] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  const { ok } = await (await load()).run();
  allOk &&= ok;
}
console.log(allOk ? "\nall targets met" : "\nsome targets missed (see MISS lines)");
process.exitCode = allOk ? 0 : 1;
