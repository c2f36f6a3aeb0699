import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, REPO_ROOT } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

/** The lines of a README code block up to its `…`: what the README promises the command prints first. */
async function shownBefore(marker: string): Promise<string[]> {
  const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf(marker);
  expect(start, `README.md holds ${marker}`).toBeGreaterThanOrEqual(0);
  const block = readme.slice(start + marker.length).split("\n```")[0]!;
  return block.split("\n").slice(1, block.split("\n").indexOf("…"));
}

describe("the README's example outputs are what the commands print", () => {
  it("npm run example", async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const argv = pkg.scripts["example"]!.replace(/^node dist\/cli\/main\.js /, "").split(" ");
    const run = await runCli(argv);
    const shown = await shownBefore("`npm run example` judges a shipped example bundle:\n\n```");
    expect(shown.length).toBeGreaterThan(5);
    expect(run.stdout.split("\n").slice(0, shown.length)).toEqual(shown);
  });

  it("runtime-repair-check on the green safe-update run", async () => {
    const command = "$ npx patchwarden runtime-repair-check --bundle fixtures/openclaw-runs/green --now 2026-11-21T05:00:00Z --format text";
    const shown = await shownBefore(command);
    expect(shown.length).toBeGreaterThan(5);
    const run = await runCli(["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z", "--format", "text"]);
    expect(run.stdout.split("\n").slice(0, shown.length)).toEqual(shown);
  });
});
