import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "pw-superseded-receipt-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

it("a gate run whose proposal loses to a newer one records who superseded it, not itself", async () => {
  const env = { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" };
  const newer = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "iskra/ops#7", "--now", "2026-11-21T12:10:00Z"], { env });
  expect(newer.code).toBe(0);
  // A run judged as of an earlier time (a late run, or a clock behind the server's): its proposal is the older one.
  const older = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "iskra/ops#7", "--now", "2026-11-21T12:00:00Z"], { env });
  expect(older.code).toBe(0);

  const proposals = await new ProposalStore(dataDir).list();
  const loser = proposals.find((p) => p.state === "superseded")!;
  const winner = proposals.find((p) => p.state === "pending")!;
  expect(loser.superseded_by).toBe(winner.id);
  const receipts = (await readFile(receiptPaths(dataDir).log, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as Receipt);
  expect(receipts.filter((r) => r.kind === "proposal.superseded")).toMatchObject([{ proposal_id: loser.id, superseded_by: winner.id }]);
});

it("a newer run records the older proposal as superseded by the newer one", async () => {
  const env = { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" };
  expect((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "iskra/ops#7", "--now", "2026-11-21T12:00:00Z"], { env })).code).toBe(0);
  expect((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--propose", "iskra/ops#7", "--now", "2026-11-21T12:10:00Z"], { env })).code).toBe(0);
  const proposals = await new ProposalStore(dataDir).list();
  const loser = proposals.find((p) => p.state === "superseded")!;
  const winner = proposals.find((p) => p.state === "pending")!;
  const receipts = (await readFile(receiptPaths(dataDir).log, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as Receipt);
  expect(receipts.filter((r) => r.kind === "proposal.superseded")).toMatchObject([{ proposal_id: loser.id, superseded_by: winner.id }]);
});
