import type { Command } from "../command.js";
import { policyTest } from "./policy-test.js";
import { policyValidate } from "./policy-validate.js";
import { runtimeRepairCheck } from "./runtime-repair-check.js";
import { schema } from "./schema.js";

/** Every command, in the order `patchwarden --help` lists them. */
export const COMMANDS: readonly Command[] = [runtimeRepairCheck, policyValidate, policyTest, schema];
