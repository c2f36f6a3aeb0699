import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("export-changed-head");

describe("receipts export when the receipt the head records was changed in place", () => {
  it("exits 1 saying that receipt could not be checked against the head, and sends the operator to verify", async () => {
    const data = await temp();
    const log = await ReceiptLog.open(data, { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const lines = (await readFile(log.paths.log, "utf8")).split("\n");
    // Receipt 3, the one receipts.head records, edited without re-hashing: its seal no longer matches.
    lines[2] = lines[2]!.replace("alice", "malory");
    await writeFile(log.paths.log, lines.join("\n"));

    const exported = await runCli(["receipts", "export", "--data-dir", data]);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain(`${log.paths.log}: receipt 3 was not checked against the hash receipts.head records for it; run \`patchwarden receipts verify\``);
    expect(exported.stderr).not.toMatch(/hashes to null/);
  });
});
