import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// docs/operations/openclaw-runtime-repair-evaluator.md: "The receipt's actor is `--actor`, else
// `$PATCHWARDEN_OPERATOR`, else `$USER`". A bad value must be named by where it came from (common
// rule: the path first), and an empty variable reads as unset, as for every other setting
// (forgejo-setup.md: "an empty one leaves the file's").
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-actor-source-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));
const check = (env: Record<string, string>) =>
  runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dir, ...env } });

describe("the receipt's actor: --actor, else $PATCHWARDEN_OPERATOR, else $USER", () => {
  it("names $USER, not --actor, when the login that is not a login came from $USER", async () => {
    // A directory-service login such as `jan@corp.example` is a valid Unix user, not a Forgejo login.
    const run = await check({ USER: "jan@corp.example" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^patchwarden runtime-repair-check: \$USER: `jan@corp\.example` is not a login \(letters, digits, `_`, `\.`, `-`\); give the operator's Forgejo login with `--actor`, or set \$PATCHWARDEN_OPERATOR to it\n/);
  });

  it("names $PATCHWARDEN_OPERATOR when the bad login came from it", async () => {
    const run = await check({ PATCHWARDEN_OPERATOR: "Jan Kowalski", USER: "jan" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^patchwarden runtime-repair-check: \$PATCHWARDEN_OPERATOR: `Jan Kowalski` is not a login/);
  });

  it("falls back to $USER when PATCHWARDEN_OPERATOR is set but empty", async () => {
    const run = await check({ PATCHWARDEN_OPERATOR: "", USER: "jan" });
    // The evidence id is the snapshot's digest, which names the bundle's path: not fixed across clones.
    expect(run.stderr).toMatch(/^patchwarden: recorded the verdict as receipt 1 \(evidence [0-9a-f]{12}\)\n$/);
    expect(run.code).toBe(0);
    const [receipt] = (await readFile(join(dir, "receipts", "receipts.jsonl"), "utf8")).trim().split("\n");
    expect(JSON.parse(receipt!)).toMatchObject({ seq: 1, kind: "verdict", actor: "jan" });
  });
});
