import { describe, expect, it } from "vitest";
import { summarizeReceipt } from "../../src/cli/commands/receipts-format.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";

const base = {
  seq: 7,
  time: "2026-11-21T05:00:00.000Z",
  kind: "what_if.proposed",
  actor: "patchwarden",
  proposal_id: "p_00000000000000000abc",
  target: { repo: "root/example", commit: "a".repeat(40) },
  path: "policies/iskra-openclaw.v0.toml",
  policy_digest: `sha256:${"b".repeat(64)}`,
  through_seq: 6,
  replayed: 4,
  loosened: 0,
  tightened: 1,
  not_replayed: 0,
  result_digest: "c".repeat(64),
} as unknown as Receipt;

describe("receipts tail: a what_if.proposed line", () => {
  it("counts the looser settings beside the looser past verdicts", () => {
    expect(summarizeReceipt({ ...base, looser_settings: 2 } as Receipt)).toBe(
      "#7 2026-11-21T05:00:00.000Z what_if.proposed by patchwarden: `policies/iskra-openclaw.v0.toml`: 0 looser, 1 stricter of 4 replayed; 2 looser settings, proposal p_00000000000000000abc, on root/example@aaaaaaaaaaaa",
    );
    expect(summarizeReceipt({ ...base, looser_settings: 1 } as Receipt)).toMatch(/; 1 looser setting, proposal /);
  });

  it("says settings were not compared in a receipt written before they were", () => {
    expect(summarizeReceipt(base)).toMatch(/: 0 looser, 1 stricter of 4 replayed; settings not compared, proposal /);
  });
});
