import { CheckFailed } from "../cli/errors.js";

/**
 * A file of the queue (a proposal, an evidence snapshot) is missing or damaged on disk: not a bug,
 * so the message names the file and what to do. A CheckFailed, so the CLI exits 1 with the message
 * as it does for a damaged receipt log.
 */
export class QueueDataError extends CheckFailed {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "QueueDataError";
  }
}
