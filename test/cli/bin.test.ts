import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, fixture } from "../helpers/paths.js";

const run = promisify(execFile);
const BIN = join(REPO_ROOT, "dist/cli/main.js");

// The built binary, as an operator or the hourly timer runs it (npm test builds first).
describe("the patchwarden binary", () => {
  it("runs, judges and exits with the verdict's code", async () => {
    const result = await run(process.execPath, [BIN, "runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z"]).catch((error: { code: number; stdout: string }) => error);
    expect("code" in result ? result.code : 0).toBe(10);
    expect(JSON.parse(result.stdout).verdict).toBe("needs_human");
  });

  it("gives byte-identical output for the same inputs across processes", async () => {
    const args = [BIN, "runtime-repair-check", "--bundle", fixture("openclaw-runs/conservative-transitive-drift"), "--now", "2026-11-21T05:00:00Z"];
    const outputs = await Promise.all([1, 2, 3].map(() => run(process.execPath, args).catch((error: { stdout: string }) => error)));
    expect(new Set(outputs.map((o) => o.stdout)).size).toBe(1);
  });
});
