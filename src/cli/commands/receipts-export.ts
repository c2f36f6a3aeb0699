import { copyFile, open } from "node:fs/promises";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { receiptPaths } from "../../receipts/data-dir.js";
import { exportReceipts } from "../../receipts/read-receipts.js";
import { describeFsError } from "../../fsutil/read-bounded.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { Command } from "../command.js";
import { ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { stringOption } from "../options.js";
import { DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";

export const receiptsExport: Command = {
  name: "receipts export",
  summary: "copy the receipts, byte for byte, for offline verification or archiving",
  usage: "patchwarden receipts export [--out FILE] [--since ISO] [--data-dir DIR]",
  help: `Copies the whole receipts (JSON Lines, exactly as stored), so the copy verifies on any
machine with \`patchwarden receipts verify --log FILE [--public-key KEY]\`.

  --out FILE       write FILE (refused if it exists) and FILE.head, the anchor as of the export;
                   keep a copy of FILE.head elsewhere as a checkpoint (default: standard output,
                   without the head)
  --since ISO      from the first receipt at or after this time, e.g. 2026-11-21T00:00:00Z;
                   verify such a copy with --partial
${DATA_DIR_HELP}`,
  options: { ...DATA_DIR_OPTION, out: { type: "string" }, since: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const sinceText = stringOption(context, "since");
    const since = sinceText === undefined ? null : parseIsoTime(sinceText);
    if (sinceText !== undefined && since === null) throw new UsageError(`--since: \`${sinceText}\` is not an ISO-8601 time with an offset; write it like \`2026-11-21T00:00:00Z\``);
    const paths = receiptPaths(dataDirOf(context));
    const outGiven = stringOption(context, "out");
    if (outGiven === undefined) {
      const decoder = new StringDecoder("utf8");
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          context.io.stdout(decoder.write(chunk));
          done();
        },
      });
      await exportReceipts(paths.log, sink, since);
      return EXIT.ok;
    }
    const out = resolve(context.io.cwd, outGiven);
    let handle;
    try {
      handle = await open(out, "wx", 0o640);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`--out: ${out}: ${code === "EEXIST" ? "already exists; choose another file, or remove it first" : describeFsError(error)}`);
    }
    // The head first: the log only grows, so the export then reaches at least the head's receipt.
    let anchored = true;
    try {
      await copyFile(paths.head, `${out}.head`);
    } catch {
      anchored = false;
    }
    const stream = handle.createWriteStream();
    const result = await exportReceipts(paths.log, stream, since);
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
    const range = result.lines === 0 ? "no receipts" : `receipts ${result.firstSeq}–${result.lastSeq} (${result.lines}, ${result.bytes} bytes)`;
    context.io.stderr(
      `exported ${range} to ${out}${anchored ? `; the anchor is in ${out}.head` : "; no head to copy"}\ncheck the copy with: patchwarden receipts verify --log ${out}${since === null ? "" : " --partial"}\n`,
    );
    return EXIT.ok;
  },
};
