import { afterEach, describe, expect, it, vi } from "vitest";
import { processIO } from "../../src/cli/io.js";

// `serve` waits on untilStopped: systemd stops it with SIGTERM, a terminal with SIGINT.
function newListener(signal: "SIGINT" | "SIGTERM", before: Function[]): () => void {
  const added = process.listeners(signal).filter((listener) => !before.includes(listener));
  expect(added).toHaveLength(1);
  return added[0] as () => void;
}

afterEach(() => vi.restoreAllMocks());

describe("the process's own CLI io", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`stops on ${signal}`, async () => {
      const beforeInt = process.listeners("SIGINT");
      const beforeTerm = process.listeners("SIGTERM");
      const stopped = processIO().untilStopped();
      const onInt = newListener("SIGINT", beforeInt);
      const onTerm = newListener("SIGTERM", beforeTerm);
      try {
        let done = false;
        void stopped.then(() => (done = true));
        await Promise.resolve();
        expect(done).toBe(false);
        (signal === "SIGTERM" ? onTerm : onInt)();
        await stopped;
        expect(done).toBe(true);
      } finally {
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
      }
    });
  }

  it("writes stdout to the process's stdout and stderr to its stderr, as given", () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const io = processIO();
    io.stdout("verdict\n");
    io.stderr("patchwarden: note\n");
    expect(out.mock.calls.map((call) => call[0])).toEqual(["verdict\n"]);
    expect(err.mock.calls.map((call) => call[0])).toEqual(["patchwarden: note\n"]);
  });

  it("reads the environment, the working folder and the clock of this process", () => {
    const io = processIO();
    expect(io.env).toBe(process.env);
    expect(io.cwd).toBe(process.cwd());
    const before = Date.now();
    const now = io.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
