import { readFile, stat } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Server as HttpServer } from "node:http";
import { trackConnections } from "./graceful-close.js";
import type { Hono } from "hono";
import type { ServerConfig } from "../config/server-config.js";
import { resolveWebhookSecret, type SecretSource } from "../config/webhook-secret.js";
import { DEFAULT_LIMITS } from "../evidence/artifact-bytes.js";
import { ForgejoReader } from "../forgejo/reader.js";
import { DeliveryLog } from "../inbox/delivery-log.js";
import { claimDataFolder } from "../inbox/single-writer.js";
import type { Logger } from "../observability/logger.js";
import { PolicyHolder } from "../policy/policy-holder.js";
import { EvidenceStore } from "../queue/evidence-store.js";
import { ProposalStore } from "../queue/proposal-store.js";
import { createApp, type AppDeps } from "./app.js";
import { GateMetrics } from "../observability/metrics.js";
import { RepairLocks } from "../locks/repair-locks.js";
import { trustHooks } from "../receipts/proposal-recorder.js";
import { ReceiptLog } from "../receipts/receipt-log.js";
import type { ReceiptSigner } from "../receipts/seal.js";
import { loadSigner, SIGNING_KEY_VARIABLE, SigningKeyError } from "../receipts/signing.js";
import { DATA_DIR_VARIABLE } from "../receipts/data-dir.js";
import { ConfigError } from "../cli/errors.js";
import { quote } from "../diagnostics/diagnostic.js";
import { folderState } from "../config/folder-state.js";
import { describeFsError } from "../fsutil/read-bounded.js";
import { PROPOSAL_STATES, type ProposalState } from "../queue/proposal.js";
import type { WebhookEnv } from "./middleware/verify-forgejo-signature.js";
import { GateWorker } from "./gate-worker.js";
import { Intake } from "./intake.js";
import { openReviewPage } from "./review/open-review-page.js";
import { makeFolder } from "../fsutil/make-folder.js";

export interface ServerOptions {
  log: Logger;
  now: () => number;
  version: string;
  /** stdout mode's sink: one JSON line per proposal. */
  printLine: (line: string) => void;
  fetch?: typeof fetch;
  /** false: build everything but open no socket (tests use app.request()). */
  listen?: boolean;
  forgejoTimeoutMs?: number;
  /** A registry to count into; one is made when absent. */
  metrics?: GateMetrics;
  extend?: AppDeps["extend"];
  /** Jobs the worker holds in memory before it leaves them in the inbox (default DEFAULT_MAX_QUEUED; tests use a few). */
  maxQueuedJobs?: number;
}

export interface RunningServer {
  app: Hono<WebhookEnv>;
  url: string | null;
  worker: GateWorker;
  proposals: ProposalStore;
  secret: SecretSource;
  metrics: GateMetrics;
  /** The trust layer, shared with the review page. */
  receipts: ReceiptLog;
  locks: RepairLocks;
  policy: PolicyHolder;
  recoveredJobs: number;
  close(): Promise<void>;
}

/** Everything `patchwarden serve` runs: intake, worker, stores, and (unless told not to) the socket. */
export async function startServer(config: ServerConfig, options: ServerOptions): Promise<RunningServer> {
  // Before anything is claimed or opened, so a bad key leaves nothing to undo.
  const signer = config.receiptKey === undefined ? undefined : await signerFrom(config.receiptKey);
  await refuseAnotherUsersFolder(config.dataDir);
  await makeDataFolder(config.dataDir);
  const releaseFolder = await claimDataFolder(config.dataDir);
  let inbox: DeliveryLog | undefined;
  let worker: GateWorker | undefined;
  try {
    const secret = await resolveWebhookSecret(config.webhookSecret, config.dataDir);
    const policy = await PolicyHolder.load(config.policyPath, options.log);
    const receipts = await ReceiptLog.open(config.dataDir, {
      clock: options.now,
      onRepair: (report) => options.log.warn("receipts.torn_tail_set_aside", { message: report.message }),
      ...(signer !== undefined ? { signer } : {}),
    });
    const locks = new RepairLocks(receipts);
    const opened = await DeliveryLog.open(config.dataDir, { compaction: { now: options.now() } });
    inbox = opened.log;
    if (opened.recovered.tornTail !== null) options.log.warn("inbox.torn_tail_set_aside", { bytes: opened.recovered.tornTail.length });
    const compacted = opened.recovered.compaction;
    if (compacted !== null) options.log.info("inbox.compacted", { lines_kept: compacted.linesKept, lines_dropped: compacted.linesDropped, bytes_before: compacted.bytesBefore, bytes_after: compacted.bytesAfter });
    if (opened.recovered.compactionError !== undefined) options.log.warn("inbox.compaction_failed", { error: opened.recovered.compactionError, message: "the inbox is used whole; free disk space, and the next start compacts it" });
    const metrics = options.metrics ?? new GateMetrics();
    const reader = new ForgejoReader({
      onFailure: (failure) => metrics.forgejoErrors.inc({ failure }),
      baseUrl: config.forgejoUrl,
      token: config.forgejoToken,
      timeoutMs: options.forgejoTimeoutMs ?? 10_000,
      maxBytes: DEFAULT_LIMITS.maxBundleBytes,
      fetch: options.fetch ?? fetch,
      retryDelayMs: 500,
    });
    const proposals = new ProposalStore(config.dataDir);
    const review = await openReviewPage(config, { proposals, receipts, locks, policy, now: options.now, log: options.log, fetch: options.fetch ?? fetch });
    worker = new GateWorker({
      reader,
      policy,
      evidence: new EvidenceStore(config.dataDir),
      proposals,
      inbox,
      log: options.log,
      now: options.now,
      outputs: config.output,
      printLine: options.printLine,
      fetch: { evidenceGlobs: config.evidenceGlobs, limits: DEFAULT_LIMITS, maxBundles: 20 },
      policyGlobs: config.policyGlobs,
      dataDir: config.dataDir,
      lastDeliveryAt: () => intake.lastReceivedAt,
      readAccepted: (from, to, limit) => opened.log.readAccepted(from, to, limit),
      readUnfinished: (unfinished, index, limit) => opened.log.readUnfinished(unfinished, index, limit),
      ...(options.maxQueuedJobs !== undefined ? { maxQueued: options.maxQueuedJobs } : {}),
      hooks: ({ recovered }) => ({
        ...trustHooks(receipts, locks, options.now, { actor: "patchwarden", mayRepeat: recovered }),
        onEvaluated: (verdict, seconds) => {
          metrics.verdicts.inc({ repair_class: metricClass(verdict.repair_class, policy), verdict: verdict.verdict });
          metrics.evaluationSeconds.observe(seconds);
        },
      }),
      whatIfHooks: ({ recovered }) => {
        const trust = trustHooks(receipts, locks, options.now, { actor: "patchwarden", mayRepeat: recovered });
        return { record: trust.recordWhatIf, onSuperseded: trust.onSuperseded, recordedThroughSeq: trust.whatIfRecordedThrough };
      },
    });
    const gate = worker;
    metrics.watch({ backlog: () => gate.backlog, queueDepth: queueDepthCounter(proposals) });
    const intake: Intake = new Intake(inbox, { ids: opened.recovered.seen, contents: opened.recovered.contents }, config, (delivery, job, span) => gate.enqueue(delivery, job, false, span), options.now);
    gate.enqueueRecovered(opened.recovered.unfinished);
    const app = createApp({
      intake,
      secret: secret.secret,
      secretProblem: secret.secret === null ? secret.problem : "",
      maxBodyBytes: config.maxBodyBytes,
      log: options.log,
      health: {
        version: options.version,
        backlog: () => gate.backlog,
        policyDigest: () => policy.latest.digest,
      },
      metrics,
      listenHost: config.listen.host,
      publicOrigin: config.reviewOrigin,
      extend: (app) => {
        review(app);
        options.extend?.(app);
      },
    });
    let closeSocket: (() => Promise<void>) | null = null;
    let url: string | null = null;
    if (options.listen !== false) {
      const started = await listenOn(app, config.listen);
      closeSocket = trackConnections(started.server as HttpServer);
      const host = started.info.family === "IPv6" ? `[${started.info.address}]` : started.info.address;
      url = `http://${host}:${started.info.port}`;
    }
    const openedInbox = inbox;
    return {
      app,
      url,
      worker: gate,
      proposals,
      secret,
      metrics,
      receipts,
      locks,
      policy,
      recoveredJobs: opened.recovered.unfinished.length,
      async close() {
        // The worker stops while requests in flight get their grace: the two waits overlap, not add
        // up. A delivery accepted meanwhile stays unfinished in the inbox for the next start.
        const stopped = gate.stop();
        await closeSocket?.();
        await stopped;
        await openedInbox.close();
        await releaseFolder();
      },
    };
  } catch (error) {
    // Nothing left half-open: recovered jobs stop before the inbox they write to closes, and the
    // folder is released, so the next start is not refused as a second server.
    await worker?.stop();
    await inbox?.close();
    await releaseFolder();
    throw error;
  }
}

async function signerFrom(keyPath: string): Promise<ReceiptSigner> {
  try {
    return await loadSigner(keyPath);
  } catch (error) {
    if (error instanceof SigningKeyError) throw new ConfigError(`${SIGNING_KEY_VARIABLE}: ${error.message}`);
    throw error;
  }
}

/**
 * A data folder that belongs to another user is refused before anything is written into it: what
 * this process made there (the inbox, receipts, the webhook secret) would be its own, and the
 * folder's owner, the service user, could not open it at its next start (`sudo … serve` on
 * /var/lib/patchwarden). A folder that is not there yet is made below, as this user's.
 */
async function refuseAnotherUsersFolder(dataDir: string): Promise<void> {
  const euid = process.geteuid?.();
  // No user ids to compare (Windows).
  if (euid === undefined) return;
  let owner: number;
  try {
    owner = (await stat(dataDir)).uid;
  } catch {
    // Missing, it is made as this user's; unusable, makeDataFolder says why.
    return;
  }
  if (owner === euid) return;
  const ownerName = await userNameOf(owner);
  const who = ownerName === undefined ? `uid ${owner}` : `${quote(ownerName)} (uid ${owner})`;
  const self = currentUserName();
  const me = self === undefined ? `uid ${euid}` : `${quote(self)} (uid ${euid})`;
  // sudo takes `#uid` for a user without a name; quoted, or the shell reads a comment.
  const runAs = ownerName ?? `'#${owner}'`;
  throw new ConfigError(
    `${DATA_DIR_VARIABLE}: ${quote(dataDir, 1000)}: belongs to ${who}, not to ${me}, who runs this server; files made there now would lock the owner's server out at its next start, so nothing was written; run it as the owner, e.g. \`sudo -u ${runAs} patchwarden serve\`, or give it a folder of its own`,
  );
}

/** The login of a user id, from /etc/passwd: cheap, and enough for a message (no lookup through NSS). */
async function userNameOf(uid: number): Promise<string | undefined> {
  let passwd: string;
  try {
    passwd = await readFile("/etc/passwd", "utf8");
  } catch {
    return undefined;
  }
  for (const line of passwd.split("\n")) {
    const [name, , id] = line.split(":");
    // Only a plain login is shown, and put into a command to copy.
    if (id === String(uid) && name !== undefined && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return name;
  }
  return undefined;
}

function currentUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** The data folder and its inbox, made if missing; a file in its place, or no permission, is the operator's to fix (exit 2). */
async function makeDataFolder(dataDir: string): Promise<void> {
  try {
    await makeFolder(join(dataDir, "inbox"), 0o750);
  } catch (error) {
    const state = await folderState(dataDir);
    const problem = state.kind === "unusable" ? state.problem : `cannot be made (${describeFsError(error)})`;
    throw new ConfigError(`${DATA_DIR_VARIABLE}: ${quote(dataDir, 1000)}: ${problem}; give a folder the server's user may write to`);
  }
}

/** The socket, bound; a port in use or a host that does not resolve is the operator's to fix (exit 2), not a bug. */
function listenOn(app: Hono<WebhookEnv>, listen: ServerConfig["listen"]): Promise<{ server: ServerType; info: AddressInfo }> {
  return new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: listen.host, port: listen.port }, (info) => resolve({ server: s, info }));
    s.once("error", (error: NodeJS.ErrnoException) => reject(new ConfigError(`PATCHWARDEN_LISTEN: \`${formatListen(listen)}\` ${listenProblem(error, listen)}`)));
  });
}

function listenProblem(error: NodeJS.ErrnoException, listen: ServerConfig["listen"]): string {
  switch (error.code) {
    case "EADDRINUSE":
      return "is in use by another process; stop it, or choose another port";
    case "EACCES":
    case "EPERM":
      return listen.port < 1024 ? `cannot be listened on: ports below 1024 need privileges; choose a port from 1024, e.g. \`${formatHost(listen.host)}:8787\`` : "cannot be listened on (permission denied); choose another port";
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return `cannot be listened on: the host \`${listen.host}\` does not resolve; give an IP address of this machine (e.g. \`127.0.0.1\`) or a name that resolves`;
    case "EADDRNOTAVAIL":
      return `cannot be listened on: \`${listen.host}\` is not an address of this machine; give one of its addresses, \`127.0.0.1\`, or \`0.0.0.0\` for all`;
    default:
      return `cannot be listened on (${error.message}); check the host and port`;
  }
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function formatListen(listen: ServerConfig["listen"]): string {
  return `${formatHost(listen.host)}:${listen.port}`;
}

/** Repair class as a metric label: the candidate names it, so only classes the policy knows are kept apart. */
function metricClass(repairClass: string | null, policy: PolicyHolder): string {
  return repairClass !== null && policy.latest.repairClasses.has(repairClass) ? repairClass : "unknown";
}

/**
 * Queue depth by state, counted from the store at most every 15 s (a scrape must not read every file
 * each time). Only a count that was read is reused: while the store cannot be read, every scrape
 * fails (500) rather than report old counts as current.
 */
function queueDepthCounter(store: ProposalStore): () => Promise<Record<ProposalState, number>> {
  let last: { at: number; counts: Record<ProposalState, number> } | null = null;
  return async () => {
    if (last !== null && performance.now() - last.at < 15_000) return last.counts;
    const counts = Object.fromEntries(PROPOSAL_STATES.map((state) => [state, 0])) as Record<ProposalState, number>;
    // A damaged file is counted by no state; `queue list` and the review page name it.
    for (const proposal of (await store.scan()).proposals) counts[proposal.state]++;
    last = { at: performance.now(), counts };
    return counts;
  };
}
