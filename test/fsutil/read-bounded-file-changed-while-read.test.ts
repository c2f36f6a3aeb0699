import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readFileBounded } from "../../src/fsutil/read-bounded.js";

// A file named `growing*` gets bytes appended right after the reader's stat, one named `shrinking*`
// is cut: a producer still writing it in place.
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      const path = String(args[0]);
      if (path.includes("growing") || path.includes("shrinking")) {
        const stat = handle.stat.bind(handle);
        handle.stat = (async (...a: Parameters<typeof handle.stat>) => {
          const seen = await stat(...a);
          if (path.includes("growing")) await real.appendFile(path, "  - kind: late-item\n    note: appended after the size was taken\n");
          else await real.truncate(path, 10);
          return seen;
        }) as typeof handle.stat;
      }
      return handle;
    },
  };
});

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-read-bounded-changed-"));
});
afterEach(async () => rm(temp, { recursive: true, force: true }));

const BEFORE = "schema: patchwarden.evidence_bundle.v1\nevidence:\n  - kind: first-item\n";

describe("a file that changes size while it is read", () => {
  it("grown since its size was taken: refused with both sizes, never returned cut", async () => {
    const file = join(temp, "growing.bundle.yaml");
    await writeFile(file, BEFORE);
    const read = await readFileBounded(file, 1024 * 1024);
    const after = await readFile(file);
    expect(after.length).toBeGreaterThan(BEFORE.length + 1);
    expect(read).toEqual({ ok: false, tooLarge: false, problem: `changed while it was read (${BEFORE.length} bytes when opened, ${after.length} read); read it again once whatever writes it has finished` });
  });

  it("cut since its size was taken: refused the same way", async () => {
    const file = join(temp, "shrinking.bundle.yaml");
    await writeFile(file, BEFORE);
    expect(await readFileBounded(file, 1024 * 1024)).toEqual({ ok: false, tooLarge: false, problem: `changed while it was read (${BEFORE.length} bytes when opened, 10 read); read it again once whatever writes it has finished` });
  });

  it("grown past the limit while read: refused as too large", async () => {
    const file = join(temp, "growing-near-limit.yaml");
    await writeFile(file, BEFORE);
    expect(await readFileBounded(file, BEFORE.length + 5)).toEqual({ ok: false, tooLarge: true, problem: `over the ${BEFORE.length + 5} bytes limit` });
  });

  it("unchanged: read whole", async () => {
    const file = join(temp, "steady.bundle.yaml");
    await writeFile(file, BEFORE);
    const read = await readFileBounded(file, 1024 * 1024);
    expect(read.ok && Buffer.from(read.bytes).toString("utf8")).toBe(BEFORE);
  });

  // /proc files say size 0 but have content: read to their end, not returned as their first byte.
  it.runIf(existsSync("/proc/self/status"))("a file whose size says 0 (/proc) is read to its end", async () => {
    const read = await readFileBounded("/proc/self/status", 1024 * 1024);
    expect(read.ok).toBe(true);
    if (read.ok) expect(Buffer.from(read.bytes).toString("utf8")).toMatch(/^Name:.*\n[\s\S]*\nVmRSS:[\s\S]*\n$/);
  });
});
