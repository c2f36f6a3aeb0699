import { stat } from "node:fs/promises";
import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import type { Logger } from "../observability/logger.js";
import type { Policy } from "./policy.js";
import { PolicyLoadError, readPolicy } from "./read-policy.js";

/**
 * The server's policy, picked up again when the file changes. An edit that does not validate is
 * refused loudly and the last good policy stays: a typo never turns the gate off.
 */
export class PolicyHolder {
  private lastCheck = 0;
  /** The file as last read: mtime alone misses a rewrite within one timestamp tick, or a copy that keeps the old time. */
  private seen = "";
  private checking: Promise<Policy> | undefined;

  private constructor(
    readonly path: string,
    private policy: Policy,
    private readonly log: Logger,
  ) {}

  static async load(path: string, log: Logger): Promise<PolicyHolder> {
    // The version before the read: an edit saved in between then differs at the next check, and is read.
    const version = fileVersion(await stat(path));
    const holder = new PolicyHolder(path, await readPolicy(path), log);
    holder.seen = version;
    return holder;
  }

  /** The policy last loaded, without looking at the file. */
  get latest(): Policy {
    return this.policy;
  }

  /** The current policy; checks the file at most once a second. */
  async current(nowMs: number): Promise<Policy> {
    // A clock set back must not hold off the next check until it catches up.
    if (nowMs >= this.lastCheck && nowMs - this.lastCheck < 1000) return this.policy;
    // One check at a time: a slow read finishing after a newer one would put the older policy back.
    this.checking ??= this.check(nowMs).finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async check(nowMs: number): Promise<Policy> {
    this.lastCheck = nowMs;
    let version: string;
    try {
      version = fileVersion(await stat(this.path));
    } catch (error) {
      this.log.error("policy.unreadable", { path: this.path, error: (error as Error).message, keeping: this.policy.digest });
      return this.policy;
    }
    if (version === this.seen) return this.policy;
    this.seen = version;
    try {
      const next = await readPolicy(this.path);
      if (next.digest !== this.policy.digest) this.log.info("policy.reloaded", { path: this.path, from: this.policy.digest, to: next.digest });
      this.policy = next;
    } catch (error) {
      const detail = error instanceof PolicyLoadError ? error.diagnostics.map(formatDiagnostic) : [(error as Error).message];
      this.log.error("policy.invalid_edit_refused", { path: this.path, problems: detail, keeping: this.policy.digest });
    }
    return this.policy;
  }
}

function fileVersion(stats: { ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}
