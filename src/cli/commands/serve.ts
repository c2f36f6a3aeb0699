import { readServerConfig } from "../../config/read-server-config.js";
import type { ServerConfig } from "../../config/server-config.js";
import { lineBatcher } from "../../observability/line-batcher.js";
import { jsonLogger, type Logger } from "../../observability/logger.js";
import { startServer } from "../../server/start-server.js";
import type { Command, CommandContext } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withLogErrors } from "../operator-options.js";
import { packageVersion } from "../version.js";

export const serve: Command = {
  name: "serve",
  summary: "receive Forgejo webhooks and queue proposed verdicts (posts nothing by itself)",
  usage: "patchwarden serve",
  help: `Starts the webhook receiver. Configuration comes from the environment (a TOML file named by
PATCHWARDEN_CONFIG may add to it); every problem is listed at start. With nothing set it runs on
embedded defaults: data folder ./data, listening on 127.0.0.1:8787, the shipped policy, a webhook
secret generated into the data folder on the first run, and no repositories allowed (every
delivery is acknowledged and ignored until PATCHWARDEN_REPOS names one).

  PATCHWARDEN_FORGEJO_URL        Forgejo to read from (default http://127.0.0.1:3000)
  PATCHWARDEN_FORGEJO_TOKEN      read token (optional for public repositories)
  PATCHWARDEN_WEBHOOK_SECRET     the hook's secret (default: generated into the data folder)
  PATCHWARDEN_DATA_DIR           data folder (default ./data)
  PATCHWARDEN_LISTEN             host:port (default 127.0.0.1:8787)
  PATCHWARDEN_POLICY             policy TOML (default the shipped policy)
  PATCHWARDEN_REPOS              allowed owner/name, comma-separated
  PATCHWARDEN_OPERATORS          Forgejo logins who may ask for a gate check
  PATCHWARDEN_PRODUCERS          logins whose pushes and pull requests carry evidence (e.g. Iskra's bot)
  PATCHWARDEN_GATE_LABEL         the label that asks for a check (default patchwarden/gate-check)
  PATCHWARDEN_EVIDENCE_GLOBS     evidence files in pushes (default evidence/**/*.json,evidence/**/*.yaml)
  PATCHWARDEN_POLICY_GLOBS       policy files in pushes and pull requests; each change gets a what-if
                                 proposal (default policies/**/*.toml; none to turn it off)
  PATCHWARDEN_OUTPUT             queue, stdout or queue,stdout (default queue)
  PATCHWARDEN_MAX_BODY_BYTES     largest delivery accepted (default 5242880)
  PATCHWARDEN_REVIEW_TOKENS      review-page operators: login=token pairs, comma-separated, each token
                                 at least 24 characters (no default: without it the page is read-only)
  PATCHWARDEN_REVIEW_ORIGIN      the origin the review page is reached at through a proxy, e.g.
                                 https://patchwarden.example.org (makes its cookies Secure)

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
