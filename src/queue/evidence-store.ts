import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { canonicalJson } from "../integrity/canonical-json.js";
import { sha256Hex } from "../integrity/digest.js";
import type { ArtifactBytes } from "../evidence/artifact-bytes.js";
import type { EvidenceSnapshot } from "../evidence/snapshot.js";
import { writeFileAtomic } from "../fsutil/atomic-write.js";
import { describeFsError } from "../fsutil/read-bounded.js";
import { EvidenceDataError } from "./evidence-data-error.js";

const WHAT_TO_DO = "reject the proposal and ask for a new gate check";

const storedSnapshot = z.strictObject({
  origin: z.string(),
  name: z.string(),
  bundle_base64: z.string().nullable(),
  problem: z.string().optional(),
  problem_code: z.enum(["bundle_unreadable", "bundle_too_large", "bundle_not_found"]).optional(),
  artifacts: z.record(z.string(), z.union([z.strictObject({ base64: z.string() }), z.strictObject({ problem: z.string() })])),
});

/** A read error as describeFsError says it, from its code alone: an unknown one's message names the path. */
function pathFreeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === undefined ? "read error" : describeFsError(Object.assign(new Error(code), { code }));
}

/**
 * Evidence snapshots by the sha256 of their canonical JSON, under `<data>/evidence/`: the exact
 * bytes each verdict judged, kept so `approve` and `replay` judge them again. Content-addressed,
 * so storing the same evidence twice is one file.
 */
export class EvidenceStore {
  constructor(private readonly dataDir: string) {}

  async save(snapshot: EvidenceSnapshot): Promise<string> {
    const stored: z.output<typeof storedSnapshot> = {
      origin: snapshot.origin,
      name: snapshot.name,
      bundle_base64: snapshot.bundle === null ? null : Buffer.from(snapshot.bundle).toString("base64"),
      artifacts: Object.fromEntries([...snapshot.artifacts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, bytes]) => [path, bytes.ok ? { base64: Buffer.from(bytes.bytes).toString("base64") } : { problem: bytes.problem }])),
    };
    if (snapshot.problem !== undefined) stored.problem = snapshot.problem;
    if (snapshot.problemCode !== undefined) stored.problem_code = snapshot.problemCode;
    const text = canonicalJson(stored);
    const ref = sha256Hex(text);
    // Content-addressed: a file already there should hold these very bytes. One changed on disk is
    // written again, so the new gate check a damaged snapshot's error asks for does heal it.
    if (!(await this.holds(ref))) await writeFileAtomic(this.path(ref), `${text}\n`);
    return ref;
  }

  /** Whether the file of `ref` is there and hashes to its name, as load() checks it. */
  private async holds(ref: string): Promise<boolean> {
    try {
      return sha256Hex((await readFile(this.path(ref), "utf8")).trim()) === ref;
    } catch {
      // Missing, or unreadable: writing it is the way to have it.
      return false;
    }
  }

  /** The snapshot stored under `ref`; a missing or changed file is an EvidenceDataError naming it. */
  async load(ref: string): Promise<EvidenceSnapshot> {
    if (!/^[0-9a-f]{64}$/.test(ref)) throw new Error(`\`${ref}\` is not an evidence reference`);
    const path = this.path(ref);
    let text: string;
    try {
      text = (await readFile(path, "utf8")).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new EvidenceDataError(path, "it is not in the evidence store", `missing, so the proposal's evidence cannot be judged again (was the data folder restored without \`evidence/\`?); ${WHAT_TO_DO}`);
      throw new EvidenceDataError(path, `it cannot be read (${pathFreeFsError(error)})`, `cannot be read (${describeFsError(error)}); fix its permissions, or ${WHAT_TO_DO}`);
    }
    if (sha256Hex(text) !== ref) throw new EvidenceDataError(path, "it does not hash to its name: it was changed after it was stored", `does not hash to its name; it was changed after it was stored. Restore it from a backup, or ${WHAT_TO_DO}`);
    const stored = parseStored(text);
    if (stored === null) throw new EvidenceDataError(path, "it is not an evidence snapshot", `is not an evidence snapshot; ${WHAT_TO_DO}`);
    const artifacts = new Map<string, ArtifactBytes>();
    for (const [path, entry] of Object.entries(stored.artifacts)) artifacts.set(path, "base64" in entry ? { ok: true, bytes: Buffer.from(entry.base64, "base64") } : { ok: false, problem: entry.problem });
    const snapshot: EvidenceSnapshot = { origin: stored.origin, name: stored.name, bundle: stored.bundle_base64 === null ? null : Buffer.from(stored.bundle_base64, "base64"), artifacts };
    if (stored.problem !== undefined) snapshot.problem = stored.problem;
    if (stored.problem_code !== undefined) snapshot.problemCode = stored.problem_code;
    return snapshot;
  }

  private path(ref: string): string {
    return join(this.dataDir, "evidence", ref.slice(0, 2), `${ref}.json`);
  }
}

function parseStored(text: string): z.output<typeof storedSnapshot> | null {
  try {
    const parsed = storedSnapshot.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
