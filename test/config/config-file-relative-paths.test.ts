import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/cli/command.js";
import { operatorSetting } from "../../src/cli/operator-settings.js";
import { policyPath } from "../../src/cli/policy-option.js";
import { readServerConfig } from "../../src/config/read-server-config.js";

// The server (WorkingDirectory=/var/lib/patchwarden) and the operator's commands (run from the
// operator's own folder) read one file; resolved against each one's working folder, a relative
// `data_dir` named two folders, and `queue list` answered "no proposals" from the wrong one.
let root: string;
let etc: string;
let serverCwd: string;
let operatorCwd: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "pw-config-relative-"));
  etc = join(root, "etc");
  serverCwd = join(root, "var-lib-patchwarden");
  operatorCwd = join(root, "home-alice");
  for (const folder of [etc, serverCwd, operatorCwd]) await mkdir(folder);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const operatorContext = (env: Record<string, string>): CommandContext => ({
  values: {},
  positionals: [],
  io: { env, cwd: operatorCwd, stdout: () => {}, stderr: () => {}, now: () => 0, untilStopped: () => Promise.resolve() },
});

describe("a relative path in the PATCHWARDEN_CONFIG file", () => {
  it("starts from the file's own folder, for the server and for an operator command run elsewhere alike", async () => {
    const file = join(etc, "patchwarden.toml");
    await writeFile(file, 'data_dir = "data"\npolicy = "policy.toml"\nreceipt_key = "keys/receipt-signing.key"\n');
    const env = { PATCHWARDEN_CONFIG: file };
    const server = await readServerConfig(env, serverCwd);
    expect(server).toMatchObject({ dataDir: join(etc, "data"), policyPath: join(etc, "policy.toml"), receiptKey: join(etc, "keys", "receipt-signing.key") });
    const context = operatorContext(env);
    expect(await operatorSetting(context, "dataDir")).toEqual({ value: join(etc, "data"), from: `data_dir in \`${file}\`` });
    expect(await operatorSetting(context, "receiptKey")).toEqual({ value: join(etc, "keys", "receipt-signing.key"), from: `receipt_key in \`${file}\`` });
    expect(await policyPath(context)).toBe(join(etc, "policy.toml"));
  });

  it("leaves a relative path from a variable to the working folder, as a shell would read it", async () => {
    const file = join(etc, "patchwarden.toml");
    await writeFile(file, 'data_dir = "data"\n');
    const env = { PATCHWARDEN_CONFIG: file, PATCHWARDEN_DATA_DIR: "elsewhere", PATCHWARDEN_POLICY: "mine.toml", PATCHWARDEN_RECEIPT_KEY: "my.key" };
    expect(await readServerConfig(env, serverCwd)).toMatchObject({ dataDir: join(serverCwd, "elsewhere"), policyPath: join(serverCwd, "mine.toml"), receiptKey: join(serverCwd, "my.key") });
    expect((await operatorSetting(operatorContext(env), "dataDir")).value).toBe(join(operatorCwd, "elsewhere"));
    // The file's own name, too, is a variable's value: relative to the working folder.
    expect((await readServerConfig({ PATCHWARDEN_CONFIG: "../etc/patchwarden.toml" }, serverCwd)).dataDir).toBe(join(etc, "data"));
  });
});
