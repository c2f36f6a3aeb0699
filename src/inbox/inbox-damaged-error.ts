import { CheckFailed } from "../cli/errors.js";

/**
 * A line of the inbox is not a delivery record: the log was edited or damaged on disk. Not a bug,
 * so the message names the file and line and what to do; a CheckFailed, so `serve` ends with it
 * rather than a stack. Moving the whole log aside would drop every delivery not yet evaluated, so
 * the advice is to mend or delete the one line.
 */
export class InboxDamagedError extends CheckFailed {
  constructor(
    readonly path: string,
    readonly line: number,
  ) {
    super(
      `${path}: line ${line} is not a delivery record; the log was edited or damaged: keep a copy of the file, then mend or delete that line and start again (every other line's delivery is kept; a delivery on that line is neither deduplicated nor evaluated, so ask for its check again)`,
    );
    this.name = "InboxDamagedError";
  }
}
