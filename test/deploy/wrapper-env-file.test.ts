import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEPLOY, ENV_EXAMPLE, GATE_UNIT, LAYOUT, parseUnit, SERVER_UNIT, value } from "./unit-files.js";

const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-wrapper-env-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** What the wrapper hands node for this environment file: the named variables, each in brackets. */
async function handedOver(envText: string, names: string[], callerEnv: Record<string, string> = {}): Promise<string[]> {
  const envFile = join(dir, "patchwarden.env");
  await writeFile(envFile, envText);
  // A stand-in for node that prints the variables it was given.
  const fakeNode = join(dir, "node");
  await writeFile(fakeNode, `#!/bin/sh\n${names.map((name) => `printf '%s\\n' "${name}=[\${${name}-<unset>}]"`).join("\n")}\n`, { mode: 0o755 });
  const wrapperText = (await readFile(join(DEPLOY, "bin", "patchwarden"), "utf8")).replaceAll(LAYOUT.envFile, envFile).replaceAll(LAYOUT.node, fakeNode);
  const wrapper = join(dir, "patchwarden");
  await writeFile(wrapper, wrapperText, { mode: 0o755 });
  // The wrapper refuses root, on purpose; this test may run as root, and only reads.
  const { stdout } = await run(wrapper, ["queue", "list"], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", PATCHWARDEN_ALLOW_ROOT: "1", ...callerEnv } });
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

// The units set `Environment=PATCHWARDEN_DATA_DIR=/var/lib/patchwarden` under the file's value.
// Without that default, an environment file lacking the line left the server and the gate on
// /var/lib/patchwarden and every operator command on ./data (or the PATCHWARDEN_CONFIG file's
// data_dir, which the units' value beats): `lock status` said no lock was held, `queue list` showed
// another queue.
describe("the operator's wrapper and the units agree on the data folder", () => {
  const exampleWithout = async (name: string) =>
    (await readFile(join(DEPLOY, "systemd", ENV_EXAMPLE), "utf8"))
      .split("\n")
      .filter((line) => !line.startsWith(`${name}=`))
      .join("\n");

  it("without PATCHWARDEN_DATA_DIR in the environment file, uses the units' value, not ./data", async () => {
    const unitDefault = value(parseUnit(await readFile(join(DEPLOY, "systemd", SERVER_UNIT), "utf8")), "Service", "Environment");
    expect(unitDefault).toBe(`PATCHWARDEN_DATA_DIR=${LAYOUT.data}`);
    expect(value(parseUnit(await readFile(join(DEPLOY, "systemd", GATE_UNIT), "utf8")), "Service", "Environment")).toBe(unitDefault);
    expect(await handedOver(await exampleWithout("PATCHWARDEN_DATA_DIR"), ["PATCHWARDEN_DATA_DIR"])).toEqual([`PATCHWARDEN_DATA_DIR=[${LAYOUT.data}]`]);
  });

  it("the file's value, then the caller's, win over that default, as over the units'", async () => {
    expect(await handedOver("PATCHWARDEN_DATA_DIR=/srv/patchwarden\n", ["PATCHWARDEN_DATA_DIR"])).toEqual(["PATCHWARDEN_DATA_DIR=[/srv/patchwarden]"]);
    expect(await handedOver("PATCHWARDEN_DATA_DIR=/srv/patchwarden\n", ["PATCHWARDEN_DATA_DIR"], { PATCHWARDEN_DATA_DIR: "/backup/copy" })).toEqual(["PATCHWARDEN_DATA_DIR=[/backup/copy]"]);
    expect(await handedOver("", ["PATCHWARDEN_DATA_DIR"], { PATCHWARDEN_DATA_DIR: "/backup/copy" })).toEqual(["PATCHWARDEN_DATA_DIR=[/backup/copy]"]);
  });

  // systemd hands an empty value over, and every command then reads it as unset: ./data, or the
  // PATCHWARDEN_CONFIG file's data_dir. The hourly gate refuses it; so does the wrapper.
  it("refuses an empty one, from the file or the shell, naming where it was set", async () => {
    const refused = (callerEnv: Record<string, string>) => handedOver("PATCHWARDEN_DATA_DIR=\n", ["PATCHWARDEN_DATA_DIR"], callerEnv).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const fromFile = await refused({});
    expect(fromFile).toMatchObject({ code: 2, stdout: "" });
    expect("stderr" in fromFile ? fromFile.stderr : "").toBe(
      `patchwarden: ${join(dir, "patchwarden.env")}: PATCHWARDEN_DATA_DIR: is empty, so commands would use ./data, not the server's folder; set it to the data folder, e.g. \`${LAYOUT.data}\`, or remove it\n`,
    );
    const fromShell = await refused({ PATCHWARDEN_DATA_DIR: "" });
    expect(fromShell).toMatchObject({ code: 2, stdout: "" });
    expect("stderr" in fromShell ? fromShell.stderr : "").toContain("patchwarden: PATCHWARDEN_DATA_DIR (set in your shell): is empty");
  });
});
