import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readServerConfig } from "../../src/config/read-server-config.js";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-config-sources-"));
  file = join(dir, "patchwarden.toml");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function refusal(env: Record<string, string>): Promise<string> {
  try {
    await readServerConfig(env, dir);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

// Named by a variable the operator never set, a file's bad value sends them to the environment
// file, where it is not; operator commands already name the file's key and path.
describe("a problem with a value, named where the operator wrote it", () => {
  it("names a value from the PATCHWARDEN_CONFIG file by its key and the file's path", async () => {
    await writeFile(file, 'output = "slack"\nlisten = "8787"\n');
    expect(await refusal({ PATCHWARDEN_CONFIG: file })).toBe(
      [
        "invalid configuration",
        `  listen in \`${file}\`: \`8787\` is not \`host:port\`; write it like \`127.0.0.1:8787\``,
        `  output in \`${file}\`: \`slack\` must be \`queue\`, \`stdout\` or \`queue,stdout\``,
      ].join("\n"),
    );
  });

  it("names a value from the environment by its variable, whatever the file says", async () => {
    await writeFile(file, 'output = "queue"\n');
    expect(await refusal({ PATCHWARDEN_CONFIG: file, PATCHWARDEN_OUTPUT: "slack" })).toBe("invalid configuration\n  PATCHWARDEN_OUTPUT: `slack` must be `queue`, `stdout` or `queue,stdout`");
  });

  it("names an unknown key by the file too, with the setting it most likely meant", async () => {
    await writeFile(file, 'recipt_key = "/etc/patchwarden/keys/receipt-signing.key"\n');
    expect(await refusal({ PATCHWARDEN_CONFIG: file })).toBe(`invalid configuration\n  recipt_key in \`${file}\`: unknown setting \`recipt_key\`; did you mean \`receipt_key\`?`);
  });
});
