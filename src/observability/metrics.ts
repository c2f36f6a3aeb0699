import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ProposalState } from "../queue/proposal.js";

export type DeliveryOutcome = "accepted" | "ignored" | "duplicate" | "malformed" | "unauthorized" | "too_large" | "unsupported_media_type" | "no_secret" | "error";

/**
 * Everything Patchwarden counts, in one registry per server (tests stay independent). Names follow
 * Prometheus conventions: `_total` counters, `_seconds` histograms, base units.
 */
export class GateMetrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({ name: "patchwarden_deliveries_total", help: "Webhook deliveries by event and outcome.", labelNames: ["event", "outcome"], registers: [this.registry] });
  readonly signatureFailures = new Counter({ name: "patchwarden_signature_failures_total", help: "Deliveries refused for a missing or wrong signature.", registers: [this.registry] });
  readonly dedupHits = new Counter({ name: "patchwarden_dedup_hits_total", help: "Deliveries answered duplicate: already stored under the same delivery id, or the same event and signed payload under another id (a redelivery from Forgejo, a replay).", registers: [this.registry] });
  readonly verdicts = new Counter({ name: "patchwarden_verdicts_total", help: "Verdicts by repair class and outcome.", labelNames: ["repair_class", "verdict"], registers: [this.registry] });
  readonly evaluationSeconds = new Histogram({
    name: "patchwarden_evaluation_duration_seconds",
    help: "Time to judge one bundle (parse, validate, evaluate), excluding reading it from Forgejo.",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly forgejoErrors = new Counter({ name: "patchwarden_forgejo_request_errors_total", help: "Forgejo requests that failed, by kind (unreachable, timeout, http, too_large, invalid_response, foreign_origin).", labelNames: ["failure"], registers: [this.registry] });
  private sources: MetricSources = {};
  readonly backlog: Gauge;
  readonly queueDepth: Gauge<"state">;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const sources = () => this.sources;
    this.backlog = new Gauge({
      name: "patchwarden_worker_backlog",
      help: "Accepted deliveries waiting to be evaluated.",
      registers: [this.registry],
      collect() {
        const backlog = sources().backlog;
        if (backlog) this.set(backlog());
      },
    });
    this.queueDepth = new Gauge({
      name: "patchwarden_queue_proposals",
      help: "Proposals in the dry-run queue by state.",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const depth = sources().queueDepth;
        if (!depth) return;
        for (const [state, count] of Object.entries(await depth())) this.set({ state }, count);
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "patchwarden_" });
  }

  /** Where the gauges read their values at scrape time; known only once the server has started. */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }
}

export interface MetricSources {
  backlog?: () => number;
  queueDepth?: () => Promise<Readonly<Record<ProposalState, number>>>;
}
