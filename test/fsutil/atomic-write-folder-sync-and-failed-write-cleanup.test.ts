import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { writeFileAtomic } from "../../src/fsutil/atomic-write.js";

// Records fsyncs and renames in order; a file named `no-space*` fails its write as a full disk would.
const events = vi.hoisted(() => [] as string[]);
vi.mock("node:fs/promises", async (importOriginal) =>
  (await import("../helpers/sync-recording-fs.js")).syncRecordingFs(await importOriginal(), events, "no-space"),
);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-atomic-write-"));
  events.length = 0;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("fsyncs the folder after the rename, so the new name survives a power loss", async () => {
    await writeFileAtomic(join(dir, "state.json"), "{}");
    const renameAt = events.findIndex((e) => e.startsWith("rename "));
    expect(renameAt).toBeGreaterThan(-1);
    expect(events.slice(renameAt + 1)).toContain(`sync ${dir}`);
  });

  it("leaves neither the target nor a temp file behind when the write fails, and passes the error on", async () => {
    await expect(writeFileAtomic(join(dir, "no-space.json"), "{}")).rejects.toMatchObject({ code: "ENOSPC" });
    expect(await readdir(dir)).toEqual([]);
  });
});
