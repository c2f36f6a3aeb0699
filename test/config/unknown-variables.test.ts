import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OTHER_VARIABLES } from "../../src/config/known-variables.js";
import { resolveServerConfig } from "../../src/config/server-config.js";
import { SETTINGS } from "../../src/config/settings.js";
import { REPO_ROOT } from "../helpers/paths.js";

function problems(env: Record<string, string>) {
  const result = resolveServerConfig(env, {}, "/srv");
  return result.ok ? [] : result.diagnostics;
}

// An unknown variable used to be ignored in silence: PATCHWARDEN_RECEIPT_KEYS (one letter off)
// started the server with unsigned receipts, PATCHWARDEN_WEBHOOK_SECERT with a generated secret.
describe("a PATCHWARDEN_* variable that Patchwarden does not read", () => {
  it("is refused, named, with the variable it most likely meant, and its value never shown", () => {
    expect(problems({ PATCHWARDEN_RECEIPT_KEYS: "/etc/patchwarden/keys/2026-11/receipt-signing.key", PATCHWARDEN_WEBHOOK_SECERT: "s3cr3t-0123456789abcdef" })).toEqual([
      { path: "PATCHWARDEN_RECEIPT_KEYS", message: "not a Patchwarden variable, so nothing reads it; did you mean `PATCHWARDEN_RECEIPT_KEY`? rename it, or remove it" },
      { path: "PATCHWARDEN_WEBHOOK_SECERT", message: "not a Patchwarden variable, so nothing reads it; did you mean `PATCHWARDEN_WEBHOOK_SECRET`? rename it, or remove it" },
    ]);
  });

  it("is refused without a guess when nothing is close, and even when empty", () => {
    expect(problems({ PATCHWARDEN_TIMEZONE: "" })).toEqual([
      { path: "PATCHWARDEN_TIMEZONE", message: "not a Patchwarden variable, so nothing reads it; check its spelling (`patchwarden serve --help` lists the settings), or remove it" },
    ]);
  });

  it("leaves other programs' variables alone", () => {
    expect(problems({ PATCH: "1", PATCHWARDEN: "1", NODE_OPTIONS: "", patchwarden_data_dir: "x" })).toEqual([]);
  });
});

// They share the environment file (or the operator's shell) with the settings: refused, they would
// stop the shipped units and `queue approve` from starting.
describe("Patchwarden's own variables that are not server settings", () => {
  it("are accepted", () => {
    expect(problems({ PATCHWARDEN_CONFIG: "", PATCHWARDEN_GATE_TARGET: "a/b#1", PATCHWARDEN_OPERATOR: "alice", PATCHWARDEN_ALLOW_ROOT: "1", PATCHWARDEN_FORGEJO_WRITE_TOKEN: "x" })).toEqual([]);
  });

  it("are every PATCHWARDEN_* name in src/ and deploy/, and every one the test suite reads", async () => {
    const named = new Set<string>();
    for (const folder of ["src", "deploy"]) {
      for (const path of await filesUnder(join(REPO_ROOT, folder))) {
        for (const [name] of (await readFile(path, "utf8")).matchAll(/PATCHWARDEN_[A-Z0-9_]+/g)) named.add(name);
      }
    }
    for (const path of await filesUnder(join(REPO_ROOT, "test"))) {
      for (const [, name] of (await readFile(path, "utf8")).matchAll(/process\.env(?:\.|\[["'])(PATCHWARDEN_[A-Z0-9_]+)/g)) named.add(name!);
    }
    expect(named).toContain("PATCHWARDEN_GATE_TARGET");
    const known = new Set<string>([...Object.values(SETTINGS), ...OTHER_VARIABLES]);
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
    expect(problems(Object.fromEntries([...named].map((name) => [name, ""])))).toEqual([]);
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
  }
  return files;
}
