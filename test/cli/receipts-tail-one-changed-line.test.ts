import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs, verdictReceipt } from "../receipts/helpers.js";

const temp = tempDirs("receipts-tail-scratch");

async function dataDirWith(count: number): Promise<{ dataDir: string; log: ReceiptLog }> {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(i % 2 === 0 ? verdictReceipt(i) : rejection(i));
  return { dataDir, log };
}

describe("patchwarden receipts tail", () => {
  it("a single changed receipt among the printed ones is exit 1, though the head's receipt is intact", async () => {
    const { dataDir, log } = await dataDirWith(5);
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.replace("not now (3)", "not now (Q)"));
    const run = await runCli(["receipts", "tail", "-n", "5", "--data-dir", dataDir]);
    expect(run.code).toBe(1);
    // Read back from the end, the line is found by where it starts: after the first two lines.
    const third = Buffer.byteLength(text.split("\n").slice(0, 2).join("\n")) + 1;
    expect(run.stdout.split("\n")[2]).toMatch(new RegExp(`^\\(line at byte ${third}\\) not a readable receipt: hash does not match`));
    expect(run.stderr).toBe(`patchwarden: ${log.paths.log}: 1 of the last 5 lines are not intact receipts; run \`patchwarden receipts verify\`\n`);
  });

  it("a changed receipt older than the printed ones is not looked at: exit 0", async () => {
    const { dataDir, log } = await dataDirWith(5);
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace("not now (1)", "not now (Q)"));
    const run = await runCli(["receipts", "tail", "-n", "2", "--data-dir", dataDir]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^#4 .*\n#5 .*\n$/);
  });

  it("a receipts.head that is not a head, while the log holds receipts, is exit 1 after printing them", async () => {
    const { dataDir, log } = await dataDirWith(2);
    await writeFile(log.paths.head, "not a head\n");
    const run = await runCli(["receipts", "tail", "--data-dir", dataDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^#1 .*\n#2 .*\n$/);
    expect(run.stderr).toBe(`patchwarden: ${log.paths.head}: is not JSON; it was damaged or changed by hand\n`);
    const exported = await runCli(["receipts", "export", "--data-dir", dataDir]);
    expect(exported.code).toBe(1);
    expect(exported.stdout).toBe(await readFile(log.paths.log, "utf8"));
    expect(exported.stderr).toBe(run.stderr);
  });
});
