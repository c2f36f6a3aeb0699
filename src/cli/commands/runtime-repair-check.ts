import { resolve } from "node:path";
import { readEvidence } from "../../evidence/read-evidence.js";
import { evaluate } from "../../verdict/evaluate.js";
import { renderVerdict, VERDICT_FORMATS } from "../../verdict/render/render.js";
import type { Command } from "../command.js";
import { exitCodeFor } from "../exit-codes.js";
import { choiceOption, loadPolicy, nowOption, requiredOption } from "../options.js";

export const runtimeRepairCheck: Command = {
  name: "runtime-repair-check",
  summary: "judge an evidence bundle and print the verdict (never acts)",
  usage: "patchwarden runtime-repair-check --bundle PATH [--policy PATH] [--now ISO] [--format json|text|markdown]",
  help: `Judges one evidence bundle against the policy and prints a verdict. Read-only: nothing is
executed, restarted, deployed or posted.

  --bundle PATH   a patchwarden.evidence_bundle.v1 file (JSON or YAML), a safe-update kit
                  run folder, or its evidence-bundle.json
  --policy PATH   policy TOML (default: $PATCHWARDEN_POLICY, else the shipped
                  policies/iskra-openclaw.v0.toml)
  --now ISO       judge as of this time (default: the clock), e.g. 2026-11-21T05:00:00Z
  --format F      json (default), text, or markdown (the Forgejo comment body)

Exit status: 0 eligible_repair_dry_run, 10 needs_human, 20 blocked (also for an unreadable or
invalid bundle), 2 when it cannot run (bad flags, unreadable or invalid policy).`,
  options: {
    bundle: { type: "string" },
    policy: { type: "string" },
    now: { type: "string" },
    format: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const bundlePath = resolve(context.io.cwd, requiredOption(context, "bundle", "evidence/bundle.json"));
    const format = choiceOption(context, "format", VERDICT_FORMATS, "json");
    const now = nowOption(context);
    const policy = await loadPolicy(context);
    const input = await readEvidence(bundlePath);
    const verdict = evaluate(input, policy, now);
    context.io.stdout(renderVerdict(verdict, format));
    return exitCodeFor(verdict.verdict);
  },
};
