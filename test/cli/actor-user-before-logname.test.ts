import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-actor-logname-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));
const check = (env: Record<string, string>) =>
  runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dir, ...env } });
async function recordedActor(): Promise<unknown> {
  const [receipt] = (await readFile(join(dir, "receipts", "receipts.jsonl"), "utf8")).trim().split("\n");
  return JSON.parse(receipt!).actor;
}

describe("the receipt's actor after $PATCHWARDEN_OPERATOR: $USER, else $LOGNAME", () => {
  it("records $USER when both $USER and $LOGNAME are set", async () => {
    const run = await check({ USER: "jan", LOGNAME: "root" });
    expect(run.code).toBe(0);
    expect(await recordedActor()).toBe("jan");
  });

  it("records $LOGNAME when $USER is unset or empty", async () => {
    const run = await check({ USER: "", LOGNAME: "ola" });
    expect(run.code).toBe(0);
    expect(await recordedActor()).toBe("ola");
  });

  it("names $LOGNAME when the login that is not a login came from it", async () => {
    const run = await check({ LOGNAME: "ola@corp.example" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^patchwarden runtime-repair-check: \$LOGNAME: `ola@corp\.example` is not a login/);
  });
});
