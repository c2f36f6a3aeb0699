import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// A target read from an env file or a unit's drop-in often carries a stray space or newline.
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-propose-spaces-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("runtime-repair-check --propose with whitespace around the target", () => {
  it("queues the proposal for the target inside the whitespace", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "  iskra/ops#7\n", "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("for iskra/ops#7;");
    const proposals = await new ProposalStore(dataDir).list();
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ state: "pending", target: { repo: "iskra/ops", kind: "issue", number: 7 } });
  });
});
