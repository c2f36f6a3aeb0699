import { rm, symlink } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("log-unopenable");

describe("a receipt log that is there but cannot be opened", () => {
  it("is an error, never read as a missing (empty) log that verifies against a seq-0 head", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    // The head anchors an empty log; the log itself is a link to itself (ELOOP), not "no such file".
    await rm(log.paths.log, { force: true });
    await symlink(log.paths.log, log.paths.log);
    await expect(verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true })).rejects.toMatchObject({ code: "ELOOP" });
  });
});
