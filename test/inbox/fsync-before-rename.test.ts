import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import { writeFileAtomic } from "../../src/fsutil/atomic-write.js";

// Records fsyncs and renames in order.
const events = vi.hoisted(() => [] as string[]);
vi.mock("node:fs/promises", async (importOriginal) =>
  (await import("../helpers/sync-recording-fs.js")).syncRecordingFs(await importOriginal(), events),
);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-inbox-edges-"));
  await mkdir(join(dir, "inbox"));
  events.length = 0;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("fsync before rename", () => {
  it("compaction fsyncs its temp file before renaming it over the log", async () => {
    const now = Date.parse("2026-12-31T00:00:00.000Z");
    const old = new Date(now - 45 * 86_400_000).toISOString();
    const ignored = (d: string, at: string) => JSON.stringify({ type: "ignored", delivery: d, received_at: at, event: "release", event_type: "release", reason: "x" });
    await writeFile(join(dir, "inbox", "deliveries.jsonl"), `${ignored("old", old)}\n${ignored("new", new Date(now).toISOString())}\n`);
    const { log, recovered } = await DeliveryLog.open(dir, { compaction: { now, thresholdBytes: 16 } });
    await log.close();
    expect(recovered.compaction).not.toBeNull();
    const temp = join(dir, "inbox", ".deliveries.jsonl.compacting");
    const renameAt = events.indexOf(`rename ${temp}`);
    expect(renameAt).toBeGreaterThan(-1);
    expect(events.slice(0, renameAt)).toContain(`sync ${temp}`);
  });

  it("writeFileAtomic fsyncs the temp file before the rename", async () => {
    await writeFileAtomic(join(dir, "x.json"), "{}");
    const renameAt = events.findIndex((e) => e.startsWith("rename "));
    const temp = events[renameAt]!.slice("rename ".length);
    expect(events.slice(0, renameAt)).toContain(`sync ${temp}`);
  });
});
