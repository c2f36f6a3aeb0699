import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths.js";

// Child processes run the built code: `npm test` builds dist/ before vitest starts.
if (!existsSync(join(REPO_ROOT, "dist/locks/mutex.js")) || !existsSync(join(REPO_ROOT, "dist/receipts/receipt-log.js"))) {
  throw new Error("dist/ is missing the receipts and locks modules; run `npm run build` first (npm test does)");
}

export interface Child {
  process: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => {
      if (code !== 0 && code !== null && err !== "") process.stderr.write(`child ${script} failed:\n${err}\n`);
      done({ code, signal });
    }),
  );
  return { process: child, stdout: () => out, exited };
}

/** Resolves once the child has printed `text` (or rejects when it exits first). */
export async function waitForOutput(child: Child, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!child.stdout().includes(text)) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error(`child exited before printing ${text}`);
    if (Date.now() > deadline) throw new Error(`child did not print ${text} within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 10));
  }
}
