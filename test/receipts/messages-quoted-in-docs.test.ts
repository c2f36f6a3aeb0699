import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, REPO_ROOT } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDirs } from "../receipts/helpers.js";

// docs/operations/install.md §6 and audit-and-locks.md "Signing" quote the refusal after a key
// rotation; audit-and-locks.md "How an append works" quotes the torn-tail message. An operator
// greps the journal for the quoted text, so the text the docs quote is the text the tool prints.
const temp = tempDirs("docs-quotes");
const BUNDLE = fixture("examples/runtime-diagnostics.bundle.yaml");
const NOW = Date.parse("2026-11-21T12:00:00Z");

const doc = (name: string) => readFile(join(REPO_ROOT, "docs", "operations", name), "utf8");

const record = (dataDir: string, env: Record<string, string> = {}) =>
  runCli(["runtime-repair-check", "--bundle", BUNDLE, "--receipt", "--actor", "alice", "--data-dir", dataDir], { env, now: NOW });

describe("install.md §6 / audit-and-locks.md: the quoted key-rotation refusal", () => {
  it("a process with the new key refuses the old key's head with `receipts.head: is signed by ed25519:…, not by …`", async () => {
    expect(await doc("install.md")).toContain("`receipts.head: is signed by ed25519:…, not by …`");
    expect(await doc("audit-and-locks.md")).toContain("`is signed by ed25519:…, not by …`");
    const dir = await temp();
    const dataDir = join(dir, "data");
    await runCli(["receipts", "keygen", "--out", join(dir, "2026-11")]);
    await runCli(["receipts", "keygen", "--out", join(dir, "2027-05")]);
    expect((await record(dataDir, { PATCHWARDEN_RECEIPT_KEY: join(dir, "2026-11", "receipt-signing.key") })).code).toBe(0);
    const run = await record(dataDir, { PATCHWARDEN_RECEIPT_KEY: join(dir, "2027-05", "receipt-signing.key") });
    expect(run.code).toBe(1);
    // The docs' text, with each `…` standing for what varies.
    expect(run.stderr).toMatch(/receipts\.head: is signed by ed25519:[0-9a-f]{16}, not by ed25519:[0-9a-f]{16}/);
  });
});

describe("audit-and-locks.md: the quoted torn-tail message", () => {
  it("says `the final line has no newline (… bytes after receipt N, left by a crash while appending); set aside in …/torn-….jsonl; the log now ends at receipt N`", async () => {
    expect((await doc("audit-and-locks.md")).replace(/\s+/g, " ")).toContain("the final line has no newline (… bytes after receipt 41, left by a crash while appending); set aside");
    const dataDir = join(await temp(), "data");
    expect((await record(dataDir)).code).toBe(0);
    await appendFile(join(dataDir, "receipts", "receipts.jsonl"), '{"actor":"ali');
    const run = await record(dataDir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/receipts\.jsonl: the final line has no newline \(\d+ bytes after receipt 1, left by a crash while appending\); set aside in .*\/torn-.*\.jsonl; the log now ends at receipt 1/);
    expect((await readFile(join(dataDir, "receipts", "receipts.jsonl"), "utf8")).trimEnd().split("\n")).toHaveLength(2);
  });
});
