import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// Iskra publishes as the docs ask: write `.name.tmp`, rename it over `name`. When that rename lands
// while the gate reads `name`, the gate reads the complete replacement again; it used to block the
// hour as bundle_unreadable, with advice about permissions.
const hook = vi.hoisted(() => ({ afterRead: null as null | ((path: string) => Promise<void>) }));
vi.mock("../../src/fsutil/read-bounded.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/fsutil/read-bounded.js")>();
  return {
    ...real,
    readFileBounded: async (path: string, maxBytes: number) => {
      const read = await real.readFileBounded(path, maxBytes);
      const after = hook.afterRead;
      // The policy is read through the same bounded reader; the hook is for the bundle.
      if (after !== null && !path.endsWith(".toml")) {
        hook.afterRead = null;
        await after(path);
      }
      return read;
    },
  };
});

const NOON = "2026-11-21T12:00:00Z";
let temp: string;
let evidenceDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-latest-in-replaced-"));
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(join(temp, "data"));
  evidenceDir = join(temp, "evidence");
  await mkdir(evidenceDir);
});
afterEach(async () => {
  hook.afterRead = null;
  await rm(temp, { recursive: true, force: true });
});

describe("--latest-in and a bundle atomically replaced during the read", () => {
  it("judges the complete replacement, not a bundle_unreadable that blames permissions", async () => {
    const first = await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8");
    const replacement = first.replace('generated_at: "2026-11-21T11:56:00Z"', 'generated_at: "2026-11-21T11:57:00Z"');
    expect(replacement).not.toBe(first);
    const path = join(evidenceDir, "diagnostics.bundle.yaml");
    const past = new Date(Date.now() - 60_000);
    await writeFile(path, first);
    await utimes(path, past, past);
    hook.afterRead = async (read) => {
      if (read !== path) return;
      const temp = join(evidenceDir, ".diagnostics.bundle.yaml.tmp");
      await writeFile(temp, replacement);
      await utimes(temp, past, past);
      await rename(temp, path);
    };
    const run = await runCli(["runtime-repair-check", "--latest-in", evidenceDir, "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data") } });
    const verdict = JSON.parse(run.stdout);
    expect(verdict.reasons.map((r: { code: string }) => r.code)).not.toContain("bundle_unreadable");
    expect(run.stdout).not.toContain("may read it");
    expect(verdict.bundle.digest).toBe(`sha256:${createHash("sha256").update(replacement).digest("hex")}`);
  });

  it("says a run folder's bundle given with --bundle was replaced mid-read, not that it may not be read", async () => {
    // A run folder reads its bundle inside the folder, where a swap is seen; a plain file is read as given.
    const folder = join(evidenceDir, "run-1");
    await mkdir(folder);
    const bundle = join(folder, "evidence-bundle.json");
    await writeFile(bundle, JSON.stringify({ schema: "x" }));
    hook.afterRead = async (read) => {
      if (read !== bundle) return;
      await writeFile(`${bundle}.new`, "{}");
      await rename(`${bundle}.new`, bundle);
    };
    const run = await runCli(["runtime-repair-check", "--bundle", folder, "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: join(temp, "data") } });
    const verdict = JSON.parse(run.stdout);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons[0].message).toMatch(/evidence-bundle\.json` was replaced while it was read, so what was read may not be one whole bundle; run the check again/);
    expect(run.stdout).not.toContain("may read it");
  });
});
