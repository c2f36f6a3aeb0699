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
  private modified = 0;

  private constructor(
    readonly path: string,
    private policy: Policy,
    private readonly log: Logger,
  ) {}

  static async load(path: string, log: Logger): Promise<PolicyHolder> {
    const policy = await readPolicy(path);
    const holder = new PolicyHolder(path, policy, log);
    holder.modified = (await stat(path)).mtimeMs;
    return holder;
  }

  /** The policy last loaded, without looking at the file. */
  get latest(): Policy {
    return this.policy;
  }

  /** The current policy; checks the file at most once a second. */
  async current(nowMs: number): Promise<Policy> {
    if (nowMs - this.lastCheck < 1000) return this.policy;
    this.lastCheck = nowMs;
    let modified: number;
    try {
      modified = (await stat(this.path)).mtimeMs;
    } catch (error) {
      this.log.error("policy.unreadable", { path: this.path, error: (error as Error).message, keeping: this.policy.digest });
      return this.policy;
    }
    if (modified === this.modified) return this.policy;
    this.modified = modified;
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
