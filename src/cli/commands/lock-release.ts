import { quote } from "../../diagnostics/diagnostic.js";
import { LockNotFoundError, LockStateError } from "../../locks/lock-errors.js";
import { RepairLocks } from "../../locks/repair-locks.js";
import { describeRepairTarget } from "../../locks/repair-target.js";
import { lockIdSchema } from "../../receipts/receipt-schema.js";
import type { Command } from "../command.js";
import { CheckFailed, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { actorOf, DATA_DIR_HELP, DATA_DIR_OPTION, openLogForWriting, reasonOf, withLogErrors } from "../operator-options.js";

export const lockRelease: Command = {
  name: "lock release",
  summary: "release a repair lock before its postcheck (an operator action, with a receipt)",
  usage: "patchwarden lock release ID --reason TEXT [--actor LOGIN] [--data-dir DIR]",
  help: `Ends the lease ID (from \`patchwarden lock status\`) and appends a \`lock.released\` receipt
naming who released it and why. New verdicts for the target are no longer held by it.

  ID               the lock id, e.g. lk-3f9a2c71d0e4
  --reason TEXT    why (recorded)
  --actor LOGIN    the operator (default: $PATCHWARDEN_OPERATOR, else $USER)
${DATA_DIR_HELP}

Signs the receipt when $PATCHWARDEN_RECEIPT_KEY (else receipt_key in $PATCHWARDEN_CONFIG) names a
key. Exit status: 0 released, 1 not held or the receipt log is damaged, 2 bad usage or a data
folder that is not there.`,
  options: { ...DATA_DIR_OPTION, reason: { type: "string" }, actor: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const lockId = context.positionals[0]!;
    if (!lockIdSchema.safeParse(lockId).success) throw new UsageError(`${quote(lockId)} is not a lock id; give one like \`lk-3f9a2c71d0e4\` from \`patchwarden lock status\``);
    const reason = reasonOf(context, "repair finished, postcheck run by hand");
    const actor = actorOf(context);
    // A folder that is not there holds no lock: a mistyped path is named, not made and answered "not held".
    const log = await openLogForWriting(context, { mustExist: true });
    const now = context.io.now();
    let released;
    try {
      released = await withLogErrors(() => new RepairLocks(log).release({ lockId, actor, reason, now }));
    } catch (error) {
      if (error instanceof LockNotFoundError || error instanceof LockStateError) throw new CheckFailed(error.message);
      throw error;
    }
    context.io.stdout(`released ${lockId} on ${describeRepairTarget(released.lease.repair_target)} (held by ${released.lease.owner}); receipt ${released.receipt.seq}\n`);
    return EXIT.ok;
  },
};
