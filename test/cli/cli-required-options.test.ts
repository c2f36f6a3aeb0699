import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function emptyFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-required-option-"));
  made.push(dir);
  return dir;
}

describe("a required option given empty, as `--out \"$DIR\"` with DIR unset gives it", () => {
  it("receipts keygen --out \"\" is a usage error and writes no key into the working folder", async () => {
    const cwd = await emptyFolder();
    const run = await runCli(["receipts", "keygen", "--out", ""], { cwd });
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain("--out: missing; give it, e.g. `--out /etc/patchwarden/keys`");
    expect(await readdir(cwd)).toEqual([]);
  });

  it.each([
    ["--local", ["--local", "", "--remote", "iskra.manifest.json"], "--local: missing; give it, e.g. `--local repo.manifest.json`"],
    ["--remote", ["--local", "repo.manifest.json", "--remote", ""], "--remote: missing; give it, e.g. `--remote iskra.manifest.json`"],
  ])("drift plan %s \"\" is named as missing, not read as the working folder", async (_, flags, message) => {
    const cwd = await emptyFolder();
    const run = await runCli(["drift", "plan", ...flags], { cwd });
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain(message);
  });
});
