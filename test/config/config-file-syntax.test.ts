import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfigFile } from "../../src/config/read-config-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-config-syntax-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("a TOML syntax error in the PATCHWARDEN_CONFIG file", () => {
  it("says at which line and column, but never shows the line: it may hold a token", async () => {
    const file = join(dir, "patchwarden.toml");
    await writeFile(file, 'listen = "127.0.0.1:8787"\nrepos = "a/b"\nforgejo_token = 0123abcdef0123abcdef\n');
    const refused = readConfigFile({ PATCHWARDEN_CONFIG: file }, dir);
    await expect(refused).rejects.toThrow(`PATCHWARDEN_CONFIG: \`${file}\` is not valid TOML at line 3, column 17 (illegal leading zero); fix the syntax there`);
    await expect(refused).rejects.not.toThrow("0123abcdef");
  });
});
