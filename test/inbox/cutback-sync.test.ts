import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog, type InboxFile } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-edges-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const record = (delivery: string): DeliveryRecord => ({ type: "ignored", delivery, received_at: "2026-11-21T05:00:00.000Z", event: "issues", event_type: "issues", reason: "not a trigger" });

describe("a failed append's cut-back", () => {
  it("makes the truncation durable (datasync after truncate), since O_DSYNC does not cover it", async () => {
    const calls: string[] = [];
    let failNext = false;
    const wrapFile = (file: InboxFile): InboxFile => ({
      async write(buffer, offset, length) {
        calls.push("write");
        if (failNext) {
          failNext = false;
          await file.write(buffer, offset, Math.min(length, 5));
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        }
        return file.write(buffer, offset, length);
      },
      async truncate(length) {
        calls.push("truncate");
        return file.truncate(length);
      },
      async datasync() {
        calls.push("datasync");
        return file.datasync();
      },
      stat: () => file.stat(),
      close: () => file.close(),
    });
    const { log } = await DeliveryLog.open(dir, { wrapFile });
    await log.append(record("a"));
    failNext = true;
    await expect(log.append(record("b"))).rejects.toThrow(/ENOSPC/);
    await log.close();
    expect(calls.slice(calls.indexOf("truncate"))).toEqual(["truncate", "datasync"]);
    expect(await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8")).toBe(`${JSON.stringify(record("a"))}\n`);
  });
});
