import { readdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { formatDiagnostic } from "../../diagnostics/diagnostic.js";
import { validateWith } from "../../diagnostics/zod-diagnostics.js";
import { parseDocument } from "../../document/parse-document.js";
import { DEFAULT_LIMITS } from "../../evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../evidence/open-bundle.js";
import { readEvidence } from "../../evidence/read-evidence.js";
import { readFileBounded } from "../../fsutil/read-bounded.js";
import { parseIsoTime } from "../../time/iso-time.js";
import { evaluate } from "../../verdict/evaluate.js";
import type { Verdict } from "../../verdict/verdict-types.js";
import type { Policy } from "../policy.js";
import { readPolicy } from "../read-policy.js";
import { goldenCaseSchema, type GoldenCase } from "./case-schema.js";

const CASE_FILE = /\.case\.(?:ya?ml|json)$/;

export interface CaseResult {
  file: string;
  name: string;
  description: string;
  ok: boolean;
  /** Empty when ok; otherwise each line says what differed. */
  failures: string[];
  verdict: Verdict | null;
}

/** Every `*.case.yaml|yml|json` under `dir`, sorted, so runs list cases in a stable order. */
export async function findCaseFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && CASE_FILE.test(entry.name)) files.push(path);
    // readdir does not follow links: a linked case file is run, and a linked folder is listed so
    // that reading it fails the run, naming it; skipped, its failing cases would leave the run green.
    else if (entry.isSymbolicLink() && (CASE_FILE.test(entry.name) || (await stat(path).catch(() => null))?.isDirectory() === true)) files.push(path);
  }
  return files.sort();
}

export async function runCaseFile(file: string, defaultPolicy: Policy, root: string): Promise<CaseResult> {
  const name = relative(root, file).replace(CASE_FILE, "");
  const broken = (failure: string): CaseResult => ({ file, name, description: "", ok: false, failures: [failure], verdict: null });
  const read = await readFileBounded(file, 1024 * 1024);
  if (!read.ok) return broken(`cannot read the case file (${read.problem})`);
  const parsed = parseDocument(read.bytes, { root: "case", name: file, maxBytes: 1024 * 1024 });
  if (!parsed.ok) return broken(parsed.diagnostics.map(formatDiagnostic).join("; "));
  const validated = validateWith(goldenCaseSchema, parsed.value, "case");
  if (!validated.ok) return broken(validated.diagnostics.map(formatDiagnostic).join("; "));
  const golden = validated.value;
  const policy = golden.policy !== undefined ? await readPolicy(resolve(dirname(file), golden.policy)) : defaultPolicy;
  const verdict = evaluate(await caseInput(golden, file), policy, parseIsoTime(golden.now)!);
  const failures = compare(golden, verdict);
  return { file, name, description: golden.description, ok: failures.length === 0, failures, verdict };
}

async function caseInput(golden: GoldenCase, file: string) {
  if (golden.bundle !== undefined) return readEvidence(resolve(dirname(file), golden.bundle));
  const bytes = Buffer.from(JSON.stringify(golden.bundle_inline, null, 2));
  return assembleInput(openBundle("inline.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS);
}

function compare(golden: GoldenCase, verdict: Verdict): string[] {
  const failures: string[] = [];
  if (verdict.verdict !== golden.expect.verdict) failures.push(`verdict: expected \`${golden.expect.verdict}\`, got \`${verdict.verdict}\``);
  const expected = [...new Set(golden.expect.reasons)].sort();
  const actual: string[] = [...new Set(verdict.reasons.map((r) => r.code))].sort();
  const missing = expected.filter((code) => !actual.includes(code));
  const extra = actual.filter((code) => !expected.includes(code));
  if (missing.length > 0) failures.push(`reasons: expected but absent: ${missing.join(", ")}`);
  if (extra.length > 0) failures.push(`reasons: present but not expected: ${extra.join(", ")}`);
  return failures;
}
