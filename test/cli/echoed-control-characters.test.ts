import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-echo-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// C0 (but the message's own line breaks), DEL and C1 controls.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

// A CR in a path (a CRLF env file) sends the cursor back to the start of the line, so the rest of
// the message overwrites the path; an escape sequence in a pasted flag can clear the screen. What
// the user gave is echoed through quote(): in backticks, control characters blanked.
describe("a value echoed back in an error shows no raw control character", () => {
  it("a --data-dir with a CR", async () => {
    const run = await runCli(["queue", "list", "--data-dir", "/var/lib/patchwarden-missing\r"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`/var/lib/patchwarden-missing `: no such folder");
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it("an unknown option's name with an escape sequence", async () => {
    const run = await runCli(["queue", "list", "--x\u001b[2J"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option `--x [2J`");
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it("an unknown command and stray arguments", async () => {
    for (const argv of [["qu\u001b[2Jeue"], ["queue", "l\u009bist"], ["schema", "bundle", "x\ry"]]) {
      const run = await runCli(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(RAW_CONTROL);
    }
  });

  it("a folder given where a file belongs, and a file where a folder belongs", async () => {
    const temp = await scratch();
    const folder = join(temp, "export\u001b[2J");
    await mkdir(folder);
    const file = join(temp, "keys\r");
    await writeFile(file, "x");
    const verify = await runCli(["receipts", "verify", "--log", folder]);
    expect(verify).toMatchObject({ code: 2, stderr: expect.stringContaining(": is a folder, not a file") });
    expect(verify.stderr).not.toMatch(RAW_CONTROL);
    const keygen = await runCli(["receipts", "keygen", "--out", file]);
    expect(keygen).toMatchObject({ code: 2, stderr: expect.stringContaining(": is a file, not a folder") });
    expect(keygen.stderr).not.toMatch(RAW_CONTROL);
  });
});
