// Only types from node:fs/promises: this module builds the mock of that module, so importing its
// values here would import the mock being built.
import type * as FsPromises from "node:fs/promises";

/**
 * node:fs/promises that records, in order, each fsync of an opened file or folder
 * (`sync PATH`) and each rename (`rename FROM`), so a test can say what was made durable before
 * what was renamed. A path containing `failWritesTo` has its writes fail as a full disk would.
 *
 *   const events = vi.hoisted(() => [] as string[]);
 *   vi.mock("node:fs/promises", async (importOriginal) =>
 *     (await import("../helpers/sync-recording-fs.js")).syncRecordingFs(await importOriginal(), events));
 */
export function syncRecordingFs(real: typeof FsPromises, events: string[], failWritesTo?: string): typeof FsPromises {
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      const path = String(args[0]);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        events.push(`sync ${path}`);
        return sync();
      };
      if (failWritesTo !== undefined && path.includes(failWritesTo)) {
        handle.writeFile = async () => {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        };
      }
      return handle;
    },
    rename: async (from: Parameters<typeof real.rename>[0], to: Parameters<typeof real.rename>[1]) => {
      events.push(`rename ${String(from)}`);
      return real.rename(from, to);
    },
  };
}
