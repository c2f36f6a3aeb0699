import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { KeyObject } from "node:crypto";
import { formatDiagnostic } from "../../diagnostics/diagnostic.js";
import type { VerifyReport } from "../../receipts/chain-verifier.js";
import { receiptPaths } from "../../receipts/data-dir.js";
import { loadPublicKeys, SigningKeyError } from "../../receipts/signing.js";
import { verifyReceiptLog } from "../../receipts/verify-log.js";
import type { Command, CommandContext } from "../command.js";
import { CheckFailed, ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { choiceOption, stringOption } from "../options.js";
import { dataDirHelp, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";
import { echo, refuseFolder } from "../user-paths.js";
import { safeJson } from "../../observability/safe-json.js";

export const receiptsVerify: Command = {
  name: "receipts verify",
  summary: "check that no receipt was changed, removed, reordered or cut off",
  usage: "patchwarden receipts verify [--data-dir DIR | --log FILE [--head FILE] [--partial]] [--public-key FILE]... [--signatures every|head] [--json]",
  help: `Walks the receipt log's hash chain from the first receipt and checks that it reaches the
head (receipts.head) unchanged. Names the first receipt that was changed, removed, reordered,
duplicated or cut off. Read-only: safe while the server appends, and on an exported copy.

${dataDirHelp(20)}
  --log FILE        verify this file instead (an export)
  --head FILE       the anchor for --log (default: FILE.head when it exists, else none); a
                    checkpoint: the log must still hold its receipt, with its hash
  --partial         with --log: the file may start after receipt 1 (an export made with
                    --since); receipts before its first are not checked
  --public-key FILE with a key, every receipt and the head must carry a valid signature by it
                    (repeat for rotated keys)
  --signatures head with --public-key: check the head's signature and only the receipts after
                    it; the chain ties every earlier receipt to the signed head (fast). Default:
                    every, each receipt's own signature too
  --json            print the report as JSON

A final line left unfinished by a crash is not a failure: it is set aside when the log is next
opened for writing. Exit status: 0 intact, 1 a problem was found (a data folder with no receipt
log is one), 2 bad usage or keys (a --log FILE that does not exist is one).`,
  options: {
    ...DATA_DIR_OPTION,
    log: { type: "string" },
    head: { type: "string" },
    partial: { type: "boolean" },
    "public-key": { type: "string", multiple: true },
    signatures: { type: "string" },
    json: { type: "boolean" },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const target = await chooseLog(context);
    const keys = await publicKeys(context);
    const signatures = choiceOption(context, "signatures", ["every", "head"] as const, "every");
    if (signatures === "head" && (keys === undefined || target.head === null)) throw new UsageError("--signatures head: needs --public-key and a head to check the signature of");
    const report = await verifyReceiptLog({ ...target, signatures, ...(keys === undefined ? {} : { keys }) });
    if (report.problem?.kind === "log_missing" && target.requireLog) throw new ConfigError(`--log: ${echo(target.log)}: no such file; check the path`);
    if (context.values["json"] === true) {
      context.io.stdout(safeJson({ log: target.log, head_file: target.head, ...report }, 2));
    } else {
      context.io.stdout(describe(report, target, keys, signatures));
    }
    if (report.problem !== null) {
      throw new CheckFailed(`${target.log}: verification failed${report.problem.seq === null ? "" : ` at receipt ${report.problem.seq}`}; see above`);
    }
    return EXIT.ok;
  },
};

interface Target {
  log: string;
  head: string | null;
  requireHead: boolean;
  requireLog: boolean;
  partial: boolean;
  headIsCheckpoint: boolean;
}

async function chooseLog(context: CommandContext): Promise<Target> {
  const given = stringOption(context, "log");
  const head = stringOption(context, "head");
  const partial = context.values["partial"] === true;
  if (given === undefined) {
    if (head !== undefined) throw new UsageError("--head: only with --log; a data folder's own head is receipts/receipts.head");
    if (partial) throw new UsageError("--partial: only with --log; a data folder's log starts at receipt 1");
    const paths = receiptPaths(await dataDirOf(context));
    return { log: paths.log, head: paths.head, requireHead: true, requireLog: false, partial: false, headIsCheckpoint: false };
  }
  if (stringOption(context, "data-dir") !== undefined) throw new UsageError("--log and --data-dir: give one, not both");
  const log = resolve(context.io.cwd, given);
  await refuseFolder("--log", log, "give the exported receipts file (`patchwarden receipts export --out FILE`)");
  const anchor = head !== undefined ? resolve(context.io.cwd, head) : existsSync(`${log}.head`) ? `${log}.head` : null;
  if (head !== undefined) await refuseFolder("--head", anchor!, "give the head file written beside the export (FILE.head)");
  // A head given by hand must exist; the default one may not. A partial start is only ever asked for:
  // assumed, it would pass a log whose first receipts were cut off.
  return { log, head: anchor, requireHead: head !== undefined, requireLog: true, partial, headIsCheckpoint: true };
}

async function publicKeys(context: CommandContext): Promise<Map<string, KeyObject> | undefined> {
  const paths = context.values["public-key"];
  if (!Array.isArray(paths) || paths.length === 0) return undefined;
  try {
    return await loadPublicKeys(paths.map((path) => resolve(context.io.cwd, path)));
  } catch (error) {
    if (error instanceof SigningKeyError) throw new ConfigError(`--public-key: ${error.message}`);
    throw error;
  }
}

function describe(report: VerifyReport, target: Target, keys: ReadonlyMap<string, KeyObject> | undefined, mode: "every" | "head"): string {
  const { log, head } = target;
  const lines: string[] = [];
  const range = report.receipts === 0 ? "no receipts" : `${report.receipts} receipt(s), ${report.firstSeq}–${report.lastSeq}`;
  if (report.problem === null) {
    const anchor = report.head === null ? "no head to anchor it" : `anchored by ${head ?? "the head"} at receipt ${report.head.seq}`;
    const signatures =
      keys === undefined
        ? report.signed > 0
          ? `; ${report.signed} signed (give --public-key to check them)`
          : ""
        : mode === "head"
          ? `; the head's signature is valid and covers receipts up to ${report.head?.seq ?? 0}; ${report.signed} signed`
          : `; all ${report.signed} signatures valid`;
    lines.push(`${log}: intact: ${range}, ${anchor}${signatures}`);
  } else {
    const { problem } = report;
    const onHead = problem.kind !== "log_missing" && (problem.kind.startsWith("head") || problem.seq === null);
    const where = problem.line === null ? (onHead ? (head ?? log) : log) : `${log} line ${problem.line}`;
    lines.push(formatDiagnostic({ path: where, message: problem.message }));
    if (problem.seq !== null && problem.seq > (report.firstSeq ?? 1)) lines.push(`  receipts before ${problem.seq} verified; receipt ${problem.seq} is the first that is not as written`);
    // requireLog: a file named with --log, where an export made with --since is the likely cause.
    if (problem.kind === "missing" && problem.seq === 1 && target.requireLog && !target.partial) {
      lines.push("  if this is an export made with --since, it starts after receipt 1 by design: verify it with --partial");
    }
  }
  for (const notice of report.notices) lines.push(`note: ${notice}`);
  return `${lines.join("\n")}\n`;
}
