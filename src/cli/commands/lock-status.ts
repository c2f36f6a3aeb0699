import { quote } from "../../diagnostics/diagnostic.js";
import type { Lease } from "../../locks/lease-state.js";
import { LockStateError } from "../../locks/lock-errors.js";
import { RepairLocks } from "../../locks/repair-locks.js";
import { describeRepairTarget } from "../../locks/repair-target.js";
import type { Command } from "../command.js";
import { CheckFailed } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf, logForReading } from "../operator-options.js";
import { safeJson } from "../../observability/safe-json.js";

export const lockStatus: Command = {
  name: "lock status",
  summary: "list the repair locks and who holds them",
  usage: "patchwarden lock status [--data-dir DIR] [--json]",
  help: `Lists the repair locks held now, as the receipt log records them: target, holder, reason,
proposal, expiry. Leases past their expiry hold nothing; they are listed apart until a receipt
records their expiry. Read-only.

${DATA_DIR_HELP}
  --json           print {active, expired, through_seq} as JSON

Exit status: 0, or 1 when the receipt log is damaged, or missing or cut short while
receipts.head records more (then no lock state can be trusted), 2 when the data folder is not
there (a mistyped path is not a folder with no locks).`,
  options: { ...DATA_DIR_OPTION, json: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const now = context.io.now();
    let status;
    try {
      status = await new RepairLocks(await logForReading(context, await dataDirOf(context, { mustExist: true }))).status(now);
    } catch (error) {
      if (error instanceof LockStateError) throw new CheckFailed(error.message);
      throw error;
    }
    if (context.values["json"] === true) {
      context.io.stdout(safeJson({ active: status.active, expired: status.expired, through_seq: status.throughSeq }, 2));
      return EXIT.ok;
    }
    const lines = status.active.length === 0 ? ["no repair locks are held"] : ["held:", ...status.active.map(describe)];
    if (status.expired.length > 0) lines.push("expired (hold nothing; recorded as expired when the target is next locked):", ...status.expired.map(describe));
    context.io.stdout(`${lines.join("\n")}\n`);
    return EXIT.ok;
  },
};

function describe(lease: Lease): string {
  const proposal = lease.proposal_id === undefined ? "" : `, proposal ${lease.proposal_id}`;
  return `  ${lease.lock_id}  ${describeRepairTarget(lease.repair_target)}\n      by ${lease.owner} since ${lease.acquired_at}, until ${lease.expires_at} (receipt ${lease.acquired_seq}${proposal}): ${quote(lease.reason)}`;
}
