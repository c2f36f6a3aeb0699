import type { Command } from "../command.js";

/** A command by name, loaded only when it runs: start-up pays for one command's modules, not all of them. */
export interface CommandEntry {
  name: string;
  load: () => Promise<Command>;
}

/** Every command, in the order `patchwarden --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "runtime-repair-check", load: async () => (await import("./runtime-repair-check.js")).runtimeRepairCheck },
  { name: "serve", load: async () => (await import("./serve.js")).serve },
  { name: "queue list", load: async () => (await import("./queue-list.js")).queueList },
  { name: "queue show", load: async () => (await import("./queue-show.js")).queueShow },
  { name: "queue approve", load: async () => (await import("./queue-approve.js")).queueApprove },
  { name: "queue reject", load: async () => (await import("./queue-reject.js")).queueReject },
  { name: "lock status", load: async () => (await import("./lock-status.js")).lockStatus },
  { name: "lock release", load: async () => (await import("./lock-release.js")).lockRelease },
  { name: "receipts verify", load: async () => (await import("./receipts-verify.js")).receiptsVerify },
  { name: "receipts show", load: async () => (await import("./receipts-show.js")).receiptsShow },
  { name: "receipts tail", load: async () => (await import("./receipts-tail.js")).receiptsTail },
  { name: "receipts export", load: async () => (await import("./receipts-export.js")).receiptsExport },
  { name: "receipts keygen", load: async () => (await import("./receipts-keygen.js")).receiptsKeygen },
  { name: "receipts reanchor", load: async () => (await import("./receipts-reanchor.js")).receiptsReanchor },
  { name: "replay", load: async () => (await import("./replay.js")).replay },
  { name: "policy validate", load: async () => (await import("./policy-validate.js")).policyValidate },
  { name: "policy test", load: async () => (await import("./policy-test.js")).policyTest },
  { name: "drift manifest", load: async () => (await import("./drift-manifest.js")).driftManifest },
  { name: "drift plan", load: async () => (await import("./drift-plan.js")).driftPlan },
  { name: "schema", load: async () => (await import("./schema.js")).schema },
];
