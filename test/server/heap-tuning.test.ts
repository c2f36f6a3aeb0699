import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, heapGrowthFlag, SERVE_NODE_FLAGS } from "../../src/server/heap-tuning.js";
import { REPO_ROOT } from "../helpers/paths.js";

describe("heapGrowthFlag: serve's heap growth, unless the operator set their own", () => {
  it("sets half the live size when node was started without one", () => {
    expect(HEAP_GROWING_PERCENT).toBe(50);
    expect(heapGrowthFlag([])).toBe("--heap-growing-percent=50");
    expect(heapGrowthFlag(["--max-old-space-size=512", "--enable-source-maps"])).toBe("--heap-growing-percent=50");
  });

  it.each([
    [["--heap-growing-percent=20"]],
    [["--heap_growing_percent=20"]],
    [["--heap-growing_percent=20"]],
    [["--heap-growing-percent", "20"]],
    [["--enable-source-maps", "--heap-growing-percent=80"]],
  ])("leaves %j to the operator", (execArgv) => {
    expect(heapGrowthFlag(execArgv)).toBeNull();
  });

  it("is not fooled by a longer flag that merely begins the same way", () => {
    expect(heapGrowthFlag(["--heap-growing-percentage=20"])).toBe("--heap-growing-percent=50");
  });
});

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The built serve, started and stopped; everything it printed. V8 says a flag it refuses on the process's output. */
async function startAndStop(nodeArgs: string[]): Promise<{ output: string; code: number | null }> {
  const dir = await mkdtemp(join(tmpdir(), "pw-heap-tuning-"));
  temps.push(dir);
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, "dist/cli/main.js"), "serve"], {
    env: { ...process.env, PATCHWARDEN_DATA_DIR: join(dir, "data"), PATCHWARDEN_LISTEN: "127.0.0.1:0", PATCHWARDEN_WEBHOOK_SECRET: "heap-tuning-test-secret-0123456789" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stopping = false;
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => {
    output += chunk;
    // Once: a second SIGTERM during shutdown would end it by the signal.
    if (!stopping && output.includes('"event":"server.started"')) {
      stopping = true;
      child.kill("SIGTERM");
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { output, code };
}

describe("the built serve, started as npm start starts it", () => {
  it("npm start passes the young generation's size on node's command line", async () => {
    const scripts = (JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(SERVE_NODE_FLAGS).toEqual(["--max-semi-space-size=8"]);
    expect(scripts["start"]).toBe(`node ${SERVE_NODE_FLAGS.join(" ")} dist/cli/main.js serve`);
  });

  it.each([[[...SERVE_NODE_FLAGS]], [[...SERVE_NODE_FLAGS, "--heap-growing-percent=30"]]])("starts with node args %j without V8 refusing a flag, and stops cleanly", async (nodeArgs) => {
    const { output, code } = await startAndStop(nodeArgs);
    expect(output).toContain('"event":"server.started"');
    expect(output).not.toMatch(/unrecognized flag|illegal value for flag|Try --help for options/);
    expect(code).toBe(0);
  });
});
