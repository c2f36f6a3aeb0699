import type { Command } from "../command.js";
import { driftManifest } from "./drift-manifest.js";
import { driftPlan } from "./drift-plan.js";
import { lockRelease } from "./lock-release.js";
import { lockStatus } from "./lock-status.js";
import { policyTest } from "./policy-test.js";
import { policyValidate } from "./policy-validate.js";
import { runtimeRepairCheck } from "./runtime-repair-check.js";
import { queueApprove } from "./queue-approve.js";
import { queueList } from "./queue-list.js";
import { queueReject } from "./queue-reject.js";
import { queueShow } from "./queue-show.js";
import { receiptsExport } from "./receipts-export.js";
import { receiptsKeygen } from "./receipts-keygen.js";
import { receiptsReanchor } from "./receipts-reanchor.js";
import { receiptsShow } from "./receipts-show.js";
import { receiptsTail } from "./receipts-tail.js";
import { receiptsVerify } from "./receipts-verify.js";
import { schema } from "./schema.js";
import { serve } from "./serve.js";

/** Every command, in the order `patchwarden --help` lists them. */
export const COMMANDS: readonly Command[] = [runtimeRepairCheck, serve, queueList, queueShow, queueApprove, queueReject, lockStatus, lockRelease, receiptsVerify, receiptsShow, receiptsTail, receiptsExport, receiptsKeygen, receiptsReanchor, policyValidate, policyTest, driftManifest, driftPlan, schema];
