import { constants } from "node:fs";
import { copyFile, open, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { pathExists } from "../../fsutil/path-exists.js";
import { receiptPaths, type ReceiptPaths } from "../../receipts/data-dir.js";
import { headDisagreement, readAnchor, type AnchorRead } from "../../receipts/head-agreement.js";
import { exportReceipts } from "../../receipts/read-receipts.js";
import { describeFsError } from "../../fsutil/read-bounded.js";
import { quote } from "../../diagnostics/diagnostic.js";
import { echo } from "../user-paths.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { Command } from "../command.js";
import { CheckFailed, ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { stringOption } from "../options.js";
import { DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";

export const receiptsExport: Command = {
  name: "receipts export",
  summary: "copy the receipts, byte for byte, for offline verification or archiving",
  usage: "patchwarden receipts export [--out FILE] [--since ISO] [--data-dir DIR]",
  help: `Copies the whole receipts (JSON Lines, exactly as stored), so the copy verifies on any
machine with \`patchwarden receipts verify --log FILE [--public-key KEY]\`.

  --out FILE       write FILE and FILE.head, the anchor as of the export (refused if either
                   exists); keep a copy of FILE.head elsewhere as a checkpoint (default: standard
                   output, without the head)
  --since ISO      from the first receipt at or after this time, e.g. 2026-11-21T00:00:00Z;
                   verify such a copy with --partial
${DATA_DIR_HELP}

Exit status: 0 exported, 1 the log does not reach what receipts.head records (removed, or cut
short: what is there is still copied) or the head is unreadable, 2 bad usage, a data folder that
does not exist, or an --out FILE (or FILE.head) that exists.`,
  options: { ...DATA_DIR_OPTION, out: { type: "string" }, since: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const sinceText = stringOption(context, "since");
    const since = sinceText === undefined ? null : parseIsoTime(sinceText);
    if (sinceText !== undefined && since === null) throw new UsageError(`--since: ${quote(sinceText)} is not an ISO-8601 time with an offset; write it like \`2026-11-21T00:00:00Z\``);
    // A folder that is not there would export as an empty, successful backup: a typo must not.
    const paths = receiptPaths(await dataDirOf(context, { mustExist: true }));
    const outGiven = stringOption(context, "out");
    if (outGiven === undefined) {
      const decoder = new StringDecoder("utf8");
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          context.io.stdout(decoder.write(chunk));
          done();
        },
      });
      // The head before the log, as `receipts verify` reads them (see head-agreement.ts).
      const anchor = await readAnchor(paths.head);
      const result = await exportReceipts(paths.log, sink, since, anchor.ok ? (anchor.head?.seq ?? 0) : 0);
      await refuseIfShort(paths, anchor, result.reach);
      return EXIT.ok;
    }
    const out = resolve(context.io.cwd, outGiven);
    const outHead = `${out}.head`;
    // Said before FILE is made; COPYFILE_EXCL below keeps a head made meanwhile too.
    if (await pathExists(outHead)) throw new ConfigError(`--out: ${echo(outHead)} already exists; it may be a checkpoint kept from an earlier export, so export to another FILE (or move it away first)`);
    let handle;
    try {
      handle = await open(out, "wx", 0o640);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`--out: ${echo(out)}: ${code === "EEXIST" ? "already exists; choose another file, or remove it first" : describeFsError(error)}`);
    }
    const anchor = await readAnchor(paths.head);
    // The head first: the log only grows, so the export then reaches at least the head's receipt.
    let anchored = true;
    try {
      await copyFile(paths.head, outHead, constants.COPYFILE_EXCL);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // FILE was just made in the same folder, so ENOENT can only be the data folder's head.
      if (code === "ENOENT") anchored = false;
      else {
        await handle.close();
        await rm(out, { force: true });
        if (code === "EEXIST") throw new ConfigError(`--out: ${echo(outHead)} already exists (made while exporting); export to another FILE`);
        throw error;
      }
    }
    const stream = handle.createWriteStream();
    const result = await exportReceipts(paths.log, stream, since, anchor.ok ? (anchor.head?.seq ?? 0) : 0);
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
    const range = result.lines === 0 ? "no receipts" : `receipts ${result.firstSeq}–${result.lastSeq} (${result.lines}, ${result.bytes} bytes)`;
    context.io.stderr(
      `exported ${range} to ${out}${anchored ? `; the anchor is in ${outHead}` : "; no head to copy"}\ncheck the copy with: patchwarden receipts verify --log ${out}${since === null ? "" : " --partial"}\n`,
    );
    await refuseIfShort(paths, anchor, result.reach);
    return EXIT.ok;
  },
};

/** A log removed or cut short while its head records more exports as less: said, exit 1, after copying what is there. */
async function refuseIfShort(paths: ReceiptPaths, anchor: AnchorRead, reach: { lastSeq: number; hashAtHead: string | null; tailBytes: number }): Promise<void> {
  const problem = anchor.ok ? await headDisagreement(paths, anchor.head, { ...reach, badFinal: null }) : anchor.problem;
  if (problem !== null) throw new CheckFailed(problem);
}
