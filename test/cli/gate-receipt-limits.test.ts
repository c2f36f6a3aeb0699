import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { MAX_RECEIPT_REASON_CODES, REASON_CODES_TRUNCATED, receiptReasonCodes, verdictDraft } from "../../src/receipts/drafts.js";
import { receiptDraftSchema, type Receipt } from "../../src/receipts/receipt-schema.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// Whatever a valid bundle makes the engine say must fit in a receipt: else the hourly gate
// (--propose) crashes on a bundle the read-only run judges, and records nothing.
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-gate-limits-"));
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(join(temp, "data"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: join(temp, "data"), USER: "patchwarden" });

async function bundleWith(name: string, from: string, to: string): Promise<string> {
  const text = await readFile(EXAMPLE, "utf8");
  expect(text).toContain(from);
  const path = join(temp, name);
  await writeFile(path, text.replace(from, to));
  return path;
}

async function receipts(): Promise<Receipt[]> {
  return (await readFile(receiptPaths(join(temp, "data")).log, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as Receipt);
}

/** The read-only run and the hourly gate run of one bundle: same exit code, no internal error, a verdict recorded. */
async function sameVerdictBothWays(bundle: string): Promise<{ readOnly: { code: number; stdout: string }; recorded: Receipt }> {
  const readOnly = await runCli(["runtime-repair-check", "--bundle", bundle, "--now", NOON], { env: env() });
  const gate = await runCli(["runtime-repair-check", "--bundle", bundle, "--propose", "iskra/ops#7", "--now", NOON, "--actor", "patchwarden"], { env: env() });
  expect(gate.stderr).not.toContain("internal error");
  expect(gate.code).toBe(readOnly.code);
  const recorded = (await receipts()).find((receipt) => receipt.kind === "proposal.proposed")!;
  expect(recorded).toBeDefined();
  return { readOnly, recorded };
}

describe("the hourly gate run records a verdict for every bundle the read-only run judges", () => {
  it("a repair class longer than a receipt holds is an invalid bundle: blocked both ways", async () => {
    const bundle = await bundleWith("long-class.bundle.yaml", "repair_class: runtime_diagnostics", `repair_class: ${"x".repeat(201)}`);
    const { readOnly, recorded } = await sameVerdictBothWays(bundle);
    expect(readOnly.code).toBe(20);
    const verdict = JSON.parse(readOnly.stdout) as Verdict;
    expect(verdict.reasons).toEqual([expect.objectContaining({ code: "bundle_invalid", path: "bundle.candidate.repair_class", message: "is longer than 200 characters" })]);
    expect(recorded).toMatchObject({ verdict: "blocked", repair_class: null, reason_codes: ["bundle_invalid"] });
  });

  it("a plan of many steps the policy objects to: each reason code recorded once, in order", async () => {
    const steps = Array.from({ length: 300 }, (_, i) => `      - action: service.restart\n        target: unit-${i}\n`).join("");
    const bundle = await bundleWith("many-steps.bundle.yaml", "      - action: doctor.lint\n      - action: health.probe\n", steps);
    const { readOnly, recorded } = await sameVerdictBothWays(bundle);
    const codes = (JSON.parse(readOnly.stdout) as Verdict).reasons.map((reason) => reason.code);
    expect(codes.length).toBeGreaterThan(200);
    expect(recorded.kind === "proposal.proposed" && recorded.reason_codes).toEqual([...new Set(codes)]);
  });
});

describe("receiptReasonCodes", () => {
  it("keeps each code once, in the order first given", () => {
    expect(receiptReasonCodes(["b", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
  });

  it("cuts a list still too long for a receipt, and says so in its last place", () => {
    const many = Array.from({ length: 250 }, (_, i) => `code_${i}`);
    const kept = receiptReasonCodes([...many, ...many]);
    expect(kept).toHaveLength(MAX_RECEIPT_REASON_CODES);
    expect(kept.slice(0, -1)).toEqual(many.slice(0, MAX_RECEIPT_REASON_CODES - 1));
    expect(kept.at(-1)).toBe(REASON_CODES_TRUNCATED);
    expect(receiptReasonCodes(many.slice(0, MAX_RECEIPT_REASON_CODES))).toEqual(many.slice(0, MAX_RECEIPT_REASON_CODES));
  });

  it("gives verdictDraft a draft the receipt contract accepts", async () => {
    const verdict = JSON.parse((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--now", NOON])).stdout) as Verdict;
    const reasons = Array.from({ length: 250 }, (_, i) => ({ ...verdict.reasons[0]!, code: `code_${i}` }));
    const draft = verdictDraft({ ...verdict, reasons: [...reasons, ...reasons] } as Verdict, { actor: "patchwarden" });
    expect(receiptDraftSchema.safeParse(draft).success).toBe(true);
    expect(draft.reason_codes.at(-1)).toBe(REASON_CODES_TRUNCATED);
  });
});
