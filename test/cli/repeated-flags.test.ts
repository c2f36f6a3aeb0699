import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

describe("flags given twice, and values that start with a dash", () => {
  it("refuses a single-valued flag given twice instead of silently taking the last", async () => {
    const blocked = fixture("openclaw-runs/blocked-no-attestation");
    const green = fixture("openclaw-runs/green");
    const run = await runCli(["runtime-repair-check", "--bundle", blocked, "--bundle", green, "--now", "2026-11-21T05:00:00Z"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`--bundle: given twice (\`${blocked}\`, \`${green}\`); give it once`);
  });

  it("counts --name=value and a short form as the same flag; a boolean twice too", async () => {
    const tail = await runCli(["receipts", "tail", "-n", "5", "--lines=6"]);
    expect(tail).toMatchObject({ code: 2, stderr: expect.stringContaining("--lines: given twice (`5`, `6`); give it once") });
    const list = await runCli(["queue", "list", "--json", "--json"]);
    expect(list).toMatchObject({ code: 2, stderr: expect.stringContaining("--json: given twice; give it once") });
  });

  it("still takes a repeatable flag many times", async () => {
    const run = await runCli(["receipts", "verify", "--log", fixture("openclaw-runs/green/no-such.jsonl"), "--public-key", "a.pub", "--public-key", "b.pub"]);
    expect(run.stderr).not.toMatch(/given twice/);
    expect(run.stderr).toMatch(/--public-key: .*a\.pub/);
  });

  it("says how to give a value that starts with a dash", async () => {
    const run = await runCli(["queue", "reject", "pw-x", "--reason", "-x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("option `--reason` needs a value, and `-x` starts with a dash; if `-x` is the value, write `--reason=-x`");
    const short = await runCli(["receipts", "tail", "-n", "-5"]);
    expect(short.stderr).toContain("write `--lines=-5` or `-n-5`");
  });
});
