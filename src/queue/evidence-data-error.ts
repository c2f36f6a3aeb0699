import { QueueDataError } from "./queue-data-error.js";

/**
 * A kept snapshot missing or damaged. `fault` says what is wrong without where: replay puts it in
 * a what-if comment and in the digest an approval compares, neither of which may depend on (or
 * publish) the data folder's path.
 */
export class EvidenceDataError extends QueueDataError {
  constructor(
    path: string,
    readonly fault: string,
    problem: string,
  ) {
    super(path, problem);
    this.name = "EvidenceDataError";
  }
}
