import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { fixture } from "./paths.js";

export type Json = Record<string, any>;

const hex = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Copies of safe-update kit runs under fixtures/openclaw-runs/, removed after each test. */
export function useKitRuns(): { copyRun: (name: string) => Promise<string> } {
  const temps: string[] = [];
  afterEach(async () => Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));
  return {
    copyRun: async (name) => {
      const dir = await mkdtemp(join(tmpdir(), "pw-run-"));
      temps.push(dir);
      await cp(fixture(`openclaw-runs/${name}`), dir, { recursive: true });
      return dir;
    },
  };
}

/**
 * Edits one JSON file of a run, then re-pins every digest as the kit would, so only the edit shows:
 * each artifact's in the bundle, the bundle's in verdict.json, and with `decision`, verdict.json's
 * decision digest (a plain hash, not a signature: an editor recomputes it as the kit would).
 */
export async function editRun(dir: string, file: string, edit: (value: Json) => void, repin: { decision?: boolean } = {}): Promise<void> {
  const path = join(dir, file);
  const value = JSON.parse(await readFile(path, "utf8")) as Json;
  edit(value);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  const bundle = JSON.parse(await readFile(join(dir, "evidence-bundle.json"), "utf8")) as { evidence: Array<{ path: string; sha256: string }> };
  for (const entry of bundle.evidence) entry.sha256 = hex(await readFile(join(dir, entry.path)));
  const bundleBytes = `${JSON.stringify(bundle, null, 2)}\n`;
  await writeFile(join(dir, "evidence-bundle.json"), bundleBytes);
  const status = JSON.parse(await readFile(join(dir, "verdict.json"), "utf8")) as Json;
  status["evidence_bundle"].sha256 = hex(bundleBytes);
  if (repin.decision === true) status["decision_digest"] = sha256Digest(canonicalJson(status["decision_content"]));
  await writeFile(join(dir, "verdict.json"), JSON.stringify(status, null, 2));
}
