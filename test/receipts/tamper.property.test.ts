import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeHead, writeHead } from "../../src/receipts/head-file.js";
import { checkLine } from "../../src/receipts/line-facts.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import type { ReceiptSigner } from "../../src/receipts/seal.js";
import { keyIdOf, signerFromKey } from "../../src/receipts/signing.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rehash, rejection, steppingClock, tempDirs, verdictReceipt } from "./helpers.js";

/**
 * Issue #5 §4: change, delete, reorder or truncate receipts at random; verify must always name the
 * first bad one. "First bad" has one definition here, independent of the verifier: the first line
 * of the tampered file that differs from the original (or, when the file is a cut-short prefix,
 * the first line that is gone). Lines 1..s-1 are as written; receipt s is not.
 */
const temp = tempDirs("tamper");
const MAX_RECEIPTS = 30;

type Mutation =
  | { type: "flip"; at: number; byte: number }
  | { type: "delete"; line: number }
  | { type: "swap"; a: number; b: number }
  | { type: "move"; from: number; to: number }
  | { type: "duplicate"; line: number; to: number }
  | { type: "truncate"; at: number }
  | { type: "rehash"; line: number }
  | { type: "strip-signature"; line: number };

const index = fc.nat({ max: 1000 });
const structural = fc.oneof(
  fc.record({ type: fc.constant("flip" as const), at: fc.nat({ max: 1_000_000 }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ type: fc.constant("delete" as const), line: index }),
  fc.record({ type: fc.constant("swap" as const), a: index, b: index }),
  fc.record({ type: fc.constant("move" as const), from: index, to: index }),
  fc.record({ type: fc.constant("duplicate" as const), line: index, to: index }),
  fc.record({ type: fc.constant("truncate" as const), at: fc.nat({ max: 1_000_000 }) }),
);
const rehashing = fc.record({ type: fc.constant("rehash" as const), line: index });
const stripping = fc.record({ type: fc.constant("strip-signature" as const), line: index });

/**
 * The file's lines after the mutation. Split again, since a mutation may put a line after a cut
 * one (a truncation, then a duplicate): in the file the two are one line.
 */
function apply(segments: string[], mutation: Mutation): string[] {
  return split(mutate(segments, mutation).join(""));
}

function mutate(segments: string[], mutation: Mutation): string[] {
  const out = [...segments];
  const pick = (n: number) => n % Math.max(out.length, 1);
  switch (mutation.type) {
    case "flip": {
      const bytes = Buffer.from(out.join(""));
      if (bytes.length === 0) return out;
      const at = mutation.at % bytes.length;
      bytes[at] = mutation.byte === bytes[at] ? (mutation.byte + 1) % 256 : mutation.byte;
      return split(bytes.toString("latin1"));
    }
    case "delete":
      if (out.length > 0) out.splice(pick(mutation.line), 1);
      return out;
    case "swap": {
      if (out.length === 0) return out;
      const a = pick(mutation.a);
      const b = pick(mutation.b);
      [out[a], out[b]] = [out[b]!, out[a]!];
      return out;
    }
    case "move": {
      if (out.length === 0) return out;
      const [moved] = out.splice(pick(mutation.from), 1);
      out.splice(mutation.to % (out.length + 1), 0, moved!);
      return out;
    }
    case "duplicate":
      if (out.length > 0) out.splice(mutation.to % (out.length + 1), 0, out[pick(mutation.line)]!);
      return out;
    case "truncate": {
      const text = out.join("");
      return split(text.slice(0, mutation.at % (text.length + 1)));
    }
    case "rehash": {
      if (out.length === 0) return out;
      const at = pick(mutation.line);
      const line = out[at]!;
      if (!line.endsWith("\n") || !parses(line)) return out; // an earlier flip left nothing to re-hash
      out[at] = `${rehash(line.slice(0, -1), (body) => (body["reason"] = `rewritten ${String(body["reason"])}`))}\n`;
      return out;
    }
    case "strip-signature": {
      if (out.length === 0) return out;
      const at = pick(mutation.line);
      out[at] = out[at]!.replace(/,"sig":"[^"]*"/, "");
      return out;
    }
  }
}

function parses(line: string): boolean {
  try {
    return typeof JSON.parse(line) === "object";
  } catch {
    return false;
  }
}

/** Lines with their newlines; a last piece without one is kept as it is. */
function split(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The oracle: 1-based seq of the first line that differs; "torn" when the only change is one
 * unfinished or broken line after the last receipt, which is exactly what a crash mid-append leaves
 * (verify passes it and reports the torn tail); null when nothing changed.
 */
function firstDifference(original: readonly string[], tampered: readonly string[], same = (a: string, b: string) => a === b): number | "torn" | null {
  for (let i = 0; i < original.length; i++) if (tampered[i] === undefined || !same(tampered[i]!, original[i]!)) return i + 1;
  if (tampered.length === original.length) return null;
  const extra = tampered[original.length]!;
  const whole = extra.endsWith("\n") && checkLine(Buffer.from(extra.slice(0, -1), "latin1"), 0, extra.length - 1).ok;
  return tampered.length === original.length + 1 && !whole ? "torn" : original.length + 1;
}

const WELL_FORMED_SIG = /"sig":"[A-Za-z0-9+/]{86}=="/;

interface Built {
  dataDir: string;
  lines: string[];
  hashes: string[];
  keys?: Map<string, KeyObject>;
  signer?: ReceiptSigner;
}

async function build(signed: boolean): Promise<Built> {
  const dataDir = await temp();
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false, ...(signed ? { signer: signerFromKey(privateKey) } : {}) });
  for (let i = 1; i <= MAX_RECEIPTS; i++) await log.append(i % 3 === 0 ? verdictReceipt(i) : rejection(i));
  const lines = split(await readFile(log.paths.log, "latin1"));
  const hashes = lines.map((line) => JSON.parse(line).hash as string);
  return signed ? { dataDir, lines, hashes, keys: new Map([[keyIdOf(publicKey), publicKey]]), signer: signerFromKey(privateKey) } : { dataDir, lines, hashes };
}

async function check(built: Built, count: number, mutations: Mutation[], signatures: "every" | "head" = "every"): Promise<void> {
  const original = built.lines.slice(0, count);
  const tampered = mutations.reduce(apply, original);
  // --signatures head checks what each receipt says (through the signed head), not each receipt's own
  // signature: a signature changed into another well-formed one is no change there.
  const seen = signatures === "head" ? (line: string) => line.replace(WELL_FORMED_SIG, '"sig":"…"') : (line: string) => line;
  const expected = firstDifference(original, tampered, (a, b) => seen(a) === seen(b));
  fc.pre(expected !== null);
  const log = join(built.dataDir, "case.jsonl");
  const head = join(built.dataDir, "case.head");
  await writeFile(log, Buffer.from(tampered.join(""), "latin1"));
  await writeHead(head, makeHead(count, built.hashes[count - 1]!, "2026-11-21T06:00:00.000Z", built.signer), false);
  const report = await verifyReceiptLog({ log, head, requireHead: true, signatures, ...(built.keys === undefined ? {} : { keys: built.keys }) });
  if (expected === "torn") {
    expect(report.ok, JSON.stringify(mutations)).toBe(true);
    expect(report.tornTail?.seq, JSON.stringify(mutations)).toBe(count + 1);
    return;
  }
  expect(report.ok, JSON.stringify(mutations)).toBe(false);
  expect(report.problem?.seq, `${JSON.stringify(mutations)}: ${report.problem?.kind} ${report.problem?.message}`).toBe(expected);
}

describe("tampering at random: verify names the first bad receipt, exactly", () => {
  let unsigned: Built;
  let signed: Built;
  beforeAll(async () => {
    [unsigned, signed] = await Promise.all([build(false), build(true)]);
  });

  it("after one change, deletion, reordering, duplication, truncation or re-hash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_RECEIPTS }), fc.oneof(structural, rehashing), async (count, mutation) => check(unsigned, count, [mutation])),
      { numRuns: 400 },
    );
  });

  it("after several structural changes at once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_RECEIPTS }), fc.array(structural, { minLength: 2, maxLength: 4 }), async (count, mutations) => check(unsigned, count, mutations)),
      {
        numRuns: 300,
        // Found by a run (seed 946067619): a cut line, then a duplicate after it; in the file they are one torn line.
        examples: [[1, [{ type: "duplicate", line: 0, to: 0 }, { type: "truncate", at: 3110 }, { type: "duplicate", line: 0, to: 188 }]]],
      },
    );
  });

  it("on a signed log checked with the public key, re-hashing and stripped signatures included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_RECEIPTS }), fc.array(fc.oneof(structural, rehashing, stripping), { minLength: 1, maxLength: 3 }), async (count, mutations) =>
        check(signed, count, mutations),
      ),
      { numRuns: 200 },
    );
  });

  it("on a signed log checked through its signed head only (--signatures head)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_RECEIPTS }), fc.array(fc.oneof(structural, rehashing, stripping), { minLength: 1, maxLength: 3 }), async (count, mutations) =>
        check(signed, count, mutations, "head"),
      ),
      { numRuns: 200 },
    );
  });

  it("and the untouched log verifies", async () => {
    for (const built of [unsigned, signed]) {
      const log = join(built.dataDir, "receipts", "receipts.jsonl");
      const head = join(built.dataDir, "receipts", "receipts.head");
      expect(await verifyReceiptLog({ log, head, requireHead: true, ...(built.keys === undefined ? {} : { keys: built.keys }) })).toMatchObject({ ok: true, receipts: MAX_RECEIPTS });
    }
  });
});
