import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { DraftOf } from "../../src/receipts/receipt-schema.js";

export const T0 = Date.parse("2026-11-21T05:00:00Z");

/** A clock that moves one second per call, so receipt times differ and stay reproducible. */
export function steppingClock(start = T0): () => number {
  let now = start - 1000;
  return () => (now += 1000);
}

/** A fresh folder under the OS temp dir, removed when the file's tests end. */
export function tempDirs(prefix: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), `pw-${prefix}-`));
    made.push(dir);
    return dir;
  };
}

export function rejection(n: number, reason = `not now (${n})`): DraftOf<"proposal.rejected"> {
  return { kind: "proposal.rejected", actor: "alice", proposal_id: `p_${String(n).padStart(20, "0")}`, reason };
}

export function verdictReceipt(n: number): DraftOf<"verdict"> {
  return {
    kind: "verdict",
    actor: "patchwarden",
    verdict: "needs_human",
    repair_class: "gateway_restart",
    bundle_digest: `sha256:${String(n).padStart(64, "0")}`,
    policy_digest: `sha256:${"ab".repeat(32)}`,
    engine_version: "1.0.0",
    reason_codes: ["mutation_requires_operator"],
    evaluated_at: "2026-11-21T05:00:00.000Z",
    repair_target: { host: "iskra-1", service: "openclaw-gateway" },
  };
}

/**
 * What an attacker with write access does to hide a change: edit the receipt, then recompute its
 * hash as the log would (canonical body, hash last). The old signature, if any, is dropped.
 */
export function rehash(line: string, change: (body: Record<string, unknown>) => void): string {
  const { hash: _hash, sig: _sig, ...body } = JSON.parse(line) as Record<string, unknown>;
  change(body);
  const canonical = JSON.stringify(Object.fromEntries(Object.keys(body).sort().map((key) => [key, body[key]])));
  return `${canonical.slice(0, -1)},"hash":"sha256:${createHash("sha256").update(canonical).digest("hex")}"}`;
}

/** A receipt line's body text, as sealed: everything before `"hash"`, closed again. */
export function bodyOf(line: string): string {
  return `${line.slice(0, line.indexOf(',"hash":"'))}}`;
}

/**
 * Seals a hand-edited body text the way the log seals one (sha256 of the body, `hash` appended
 * last), without re-serialising it as `rehash` does: for bodies whose bytes are the test.
 */
export function sealText(body: string): { line: string; hash: string } {
  const hash = `sha256:${createHash("sha256").update(body).digest("hex")}`;
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}
