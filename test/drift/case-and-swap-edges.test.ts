// A risk glob with case still matches a lower-case path (Caddyfile), and a folder swapped for a
// link after it was listed is reported.
import * as fs from "node:fs";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, renameSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { classify } from "../../src/drift/drift-rules.js";
import { scanTree } from "../../src/drift/scan-tree.js";
import { readPolicy } from "../../src/policy/read-policy.js";

// A hook on lstat so a test can swap a folder at the moment scan-tree checks it again, as a
// racing writer would; every call still goes to the real lstat.
const hook = vi.hoisted(() => ({ onLstat: null as null | ((path: string, bigint: boolean) => void) }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const lstat = (async (path: fs.PathLike, options?: { bigint?: boolean }) => {
    hook.onLstat?.(String(path), options?.bigint === true);
    return real.lstat(path, options as never);
  }) as typeof real.lstat;
  return { ...real, default: { ...real, lstat }, lstat };
});

const rules = (await readPolicy()).drift!;
const made: string[] = [];
afterEach(() => {
  hook.onLstat = null;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("risk rules whose glob has case match a lower-case path", () => {
  it("judges `proxy/caddyfile` by the shipped `Caddyfile` rule, ignoring case, as it does `proxy/Caddyfile`", () => {
    const asWritten = classify(rules, "proxy/Caddyfile");
    expect(asWritten).toMatchObject({ risk: "high", hardManual: "auth_network_change", rule: "**/{Caddyfile,nftables.conf,sshd_config}" });
    const lower = classify(rules, "proxy/caddyfile");
    expect(lower).toMatchObject({ risk: "high", hardManual: "auth_network_change", rule: "**/{Caddyfile,nftables.conf,sshd_config}" });
  });
});

describe("a folder swapped for a link after it was listed", () => {
  it("is reported once the files are hashed, not recorded as if nothing happened", async () => {
    const base = mkdtempSync(join(tmpdir(), "pw-scan-swap-"));
    made.push(base);
    const root = join(base, "tree");
    const elsewhere = join(base, "elsewhere");
    mkdirSync(join(root, "sub"), { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(join(root, "sub", "a.txt"), "inside\n");
    writeFileSync(join(elsewhere, "a.txt"), "outside\n");
    const sub = join(root, "sub");
    let seen = 0;
    hook.onLstat = (path, bigint) => {
      if (path !== sub || !bigint) return;
      seen++;
      // The second look is foldersReplaced, after hashing: swap the folder for a link out of the tree now.
      if (seen === 2) {
        renameSync(sub, join(base, "sub.old"));
        symlinkSync(elsewhere, sub);
      }
    };
    const result = await scanTree(root, { ignore: () => false, threads: 0 });
    expect(seen).toBe(2);
    expect(result.problems).toEqual([{ path: sub, message: expect.stringMatching(/^was replaced while the tree was scanned/) }]);
  });
});
