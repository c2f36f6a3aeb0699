import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEPLOY, LAYOUT } from "./unit-files.js";

const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-wrapper-env-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** What the wrapper hands node for this environment file: the named variables, each in brackets. */
async function handedOver(envText: string, names: string[]): Promise<string[]> {
  const envFile = join(dir, "patchwarden.env");
  await writeFile(envFile, envText);
  // A stand-in for node that prints the variables it was given.
  const fakeNode = join(dir, "node");
  await writeFile(fakeNode, `#!/bin/sh\n${names.map((name) => `printf '%s\\n' "${name}=[$${name}]"`).join("\n")}\n`, { mode: 0o755 });
  const wrapperText = (await readFile(join(DEPLOY, "bin", "patchwarden"), "utf8")).replaceAll(LAYOUT.envFile, envFile).replaceAll(LAYOUT.node, fakeNode);
  const wrapper = join(dir, "patchwarden");
  await writeFile(wrapper, wrapperText, { mode: 0o755 });
  // The wrapper refuses root, on purpose; this test may run as root, and only reads.
  const { stdout } = await run(wrapper, ["queue", "list"], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", PATCHWARDEN_ALLOW_ROOT: "1" } });
  return stdout.split("\n").filter((line) => line !== "");
}

// systemd.exec(5) drops a value's leading and trailing whitespace; kept by the wrapper, one stray
// space or a CRLF file (edited on Windows, pasted from a ticket) had every operator command run on
// `/var/lib/patchwarden ` or `/var/lib/patchwarden\r`, not the server's folder: `queue list` said
// "no such folder" about a path that looks right, and `lock status` that no lock is held.
describe("the operator's wrapper reads the environment file as systemd does", () => {
  it("drops a value's leading and trailing spaces, tabs and CRs (a CRLF file)", async () => {
    const lines = await handedOver("PATCHWARDEN_DATA_DIR=/var/lib/patchwarden \r\nPATCHWARDEN_POLICY=\t /etc/patchwarden/policy.toml\t\r\nPATCHWARDEN_LISTEN=127.0.0.1:8787\n", [
      "PATCHWARDEN_DATA_DIR",
      "PATCHWARDEN_POLICY",
      "PATCHWARDEN_LISTEN",
    ]);
    expect(lines).toEqual(["PATCHWARDEN_DATA_DIR=[/var/lib/patchwarden]", "PATCHWARDEN_POLICY=[/etc/patchwarden/policy.toml]", "PATCHWARDEN_LISTEN=[127.0.0.1:8787]"]);
  });

  it("keeps what is inside quotes, and the spaces within a value", async () => {
    const lines = await handedOver('PATCHWARDEN_GATE_LABEL="gate check " \r\nPATCHWARDEN_OPERATORS=alice, bob\r\nPATCHWARDEN_REPOS=\r\n', ["PATCHWARDEN_GATE_LABEL", "PATCHWARDEN_OPERATORS", "PATCHWARDEN_REPOS"]);
    expect(lines).toEqual(["PATCHWARDEN_GATE_LABEL=[gate check ]", "PATCHWARDEN_OPERATORS=[alice, bob]", "PATCHWARDEN_REPOS=[]"]);
  });
});
