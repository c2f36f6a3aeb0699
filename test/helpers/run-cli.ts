import { main } from "../../src/cli/main.js";
import { REPO_ROOT } from "./paths.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, a fixed clock and an empty environment. */
export async function runCli(argv: string[], options: { env?: Record<string, string>; now?: number; cwd?: string; untilStopped?: () => Promise<void> } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
    now: () => options.now ?? Date.parse("2026-11-21T05:00:00Z"),
    untilStopped: options.untilStopped ?? (() => Promise.resolve()),
  });
  return { code, stdout, stderr };
}
