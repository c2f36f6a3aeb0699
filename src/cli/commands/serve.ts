import { setFlagsFromString } from "node:v8";
import { readServerConfig } from "../../config/read-server-config.js";
import type { ServerConfig } from "../../config/server-config.js";
import { SETTINGS, type SettingName } from "../../config/settings.js";
import { lineBatcher } from "../../observability/line-batcher.js";
import { jsonLogger, type Logger } from "../../observability/logger.js";
import { heapGrowthFlag } from "../../server/heap-tuning.js";
import { startServer } from "../../server/start-server.js";
import type { Command, CommandContext } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withLogErrors } from "../operator-options.js";
import { packageVersion } from "../version.js";

/**
 * One line (or more) per setting. Keyed by SettingName, so a setting added to SETTINGS without its
 * line here does not compile: the refusal of a misspelt variable and the environment file example
 * send the operator to this list.
 */
const SETTING_HELP: Record<SettingName, string> = {
  forgejo_url: "Forgejo to read from (default http://127.0.0.1:3000)",
  forgejo_token: "read token (optional for public repositories)",
  webhook_secret: "the hook's secret (default: generated into the data folder)",
  data_dir: "data folder (default ./data)",
  listen: "host:port (default 127.0.0.1:8787)",
  policy: "policy TOML (default the shipped policy)",
  repos: "allowed owner/name, comma-separated",
  operators: "Forgejo logins who may ask for a gate check",
  producers: "logins whose pushes and pull requests carry evidence (e.g. Iskra's bot)",
  gate_label: "the label that asks for a check (default patchwarden/gate-check)",
  evidence_globs: "evidence files in pushes (default evidence/**/*.json,evidence/**/*.yaml)",
  policy_globs: "policy files in pushes and pull requests; each change gets a what-if\nproposal (default policies/**/*.toml; none to turn it off)",
  output: "queue, stdout or queue,stdout (default queue)",
  max_body_bytes: "largest delivery accepted (default 5242880)",
  receipt_key: "ed25519 private key that signs every receipt and head (made by\n`patchwarden receipts keygen`; no default: receipts are unsigned)",
  review_tokens: "review-page operators: login=token pairs, comma-separated, each token\nat least 24 characters (no default: without it the page is read-only)",
  review_origin: "the origin the review page is reached at through a proxy, e.g.\nhttps://patchwarden.example.org (makes its cookies Secure)",
};

/** The variables `serve` reads: every setting, then the file that may hold them. */
function settingsHelp(): string {
  const rows: Array<[string, string]> = (Object.entries(SETTINGS) as Array<[SettingName, string]>).map(([name, variable]) => [variable, SETTING_HELP[name]]);
  rows.push(["PATCHWARDEN_CONFIG", "a TOML file of these settings in lowercase (forgejo_url = \"…\"); a\nvariable with a value wins over it, an empty one leaves the file's"]);
  const width = Math.max(31, ...rows.map(([variable]) => variable.length + 2));
  return rows.map(([variable, text]) => `  ${variable.padEnd(width)}${text.split("\n").join(`\n  ${" ".repeat(width)}`)}`).join("\n");
}

export const serve: Command = {
  name: "serve",
  summary: "receive Forgejo webhooks and queue proposed verdicts (posts nothing by itself)",
  usage: "patchwarden serve",
  help: `Starts the webhook receiver. Configuration comes from the environment (a TOML file named by
PATCHWARDEN_CONFIG may add to it); every problem is listed at start. With nothing set it runs on
embedded defaults: data folder ./data, listening on 127.0.0.1:8787, the shipped policy, a webhook
secret generated into the data folder on the first run, and no repositories allowed (every
delivery is acknowledged and ignored until PATCHWARDEN_REPOS names one).

${settingsHelp()}

Routes: POST /webhooks/forgejo, GET /healthz, GET /metrics (Prometheus; unauthenticated, keep it
local), GET /review (the review page: with review tokens, operators sign in and approve with their
own write token; without them it is read-only and served only on a loopback listen address). Stops cleanly on SIGINT/SIGTERM: the job under way finishes
(one waiting for an approval's claim gives up), queued ones run on the next start. Exit 2 when it
cannot start as configured: an invalid configuration or policy, an unusable data folder or signing
key, a data folder that belongs to another user (run it as that user), an address it cannot listen
on, or another server on the same data folder (systemd does not restart it then). Exit 1 when
the receipt log is damaged.`,
  options: {},
  positionals: { min: 0, max: 0 },
  async run(context) {
    const config = await readServerConfig(context.io.env, context.io.cwd);
    // The old generation's growth; the young one's size is on the command line (heap-tuning.ts).
    const heapFlag = heapGrowthFlag(process.execArgv);
    if (heapFlag !== null) setFlagsFromString(heapFlag);
    const lines = lineBatcher(context.io.stderr);
    // A crash must not take with it the lines that explain it.
    process.once("exit", lines.flush);
    try {
      return await runServer(config, context, jsonLogger(lines.write, context.io.now), lines.flush);
    } finally {
      process.off("exit", lines.flush);
      lines.flush();
    }
  },
};

async function runServer(config: ServerConfig, context: CommandContext, log: Logger, flushLog: () => void): Promise<number> {
  // A damaged receipt log is said as such (exit 1), not as a bug.
  const running = await withLogErrors(() => startServer(config, { log, now: context.io.now, version: packageVersion(), printLine: context.io.stdout }));
  log.info("server.started", {
    url: running.url,
    data_dir: config.dataDir,
    forgejo: config.forgejoUrl.origin,
    repos: [...config.repos],
    operators: [...config.operators],
    producers: [...config.producers],
    gate_label: config.gateLabel,
    output: [...config.output],
    policy: config.policyPath,
    recovered_jobs: running.recoveredJobs,
  });
  if (running.secret.secret === null) log.error("webhook.no_secret", { message: running.secret.problem });
  else if (running.secret.origin === "generated") {
    const where = `${config.dataDir}/webhook-secret`;
    // Printed once, on an interactive first run only; otherwise say where it is, so it never lands in a log.
    flushLog();
    context.io.stderr(
      process.stderr.isTTY
        ? `\nGenerated a webhook secret (kept in ${where}). Paste it into the Forgejo webhook's "Secret" field:\n\n    ${running.secret.secret}\n\n`
        : `\nGenerated a webhook secret in ${where}; copy it into the Forgejo webhook's "Secret" field (e.g. \`cat ${where}\`).\n\n`,
    );
  }
  if (config.repos.size === 0) log.warn("config.no_repositories", { message: "PATCHWARDEN_REPOS is empty: every delivery is acknowledged and ignored" });
  if (config.operators.size === 0) log.warn("config.no_operators", { message: "PATCHWARDEN_OPERATORS is empty: no label or command can ask for a gate check" });
  await context.io.untilStopped();
  log.info("server.stopping", {});
  await running.close();
  return EXIT.ok;
}
