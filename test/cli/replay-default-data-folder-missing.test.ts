import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// replay's help: exit 2 for "no such data folder". A folder that is not there is no history, even
// the default ./data one: "nothing would change" from it would check nothing.

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-default-data-"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("replay where the default data folder is not there", () => {
  it("exits 2 naming the folder, and prints no report", async () => {
    const run = await runCli(["replay"], { cwd: temp });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/data`?: no such folder; give the data folder \(the server's PATCHWARDEN_DATA_DIR\)/);
  });
});
