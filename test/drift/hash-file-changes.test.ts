import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// fstat as the hasher sees it, with a hook to make a file look as if it changed during the read.
const fstatHook = vi.hoisted(() => ({ edit: null as null | ((info: Record<string, unknown>, call: number) => void), calls: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const fstatSync = ((fd: number, options?: unknown) => {
    const info = fs.fstatSync(fd, options as never) as unknown as Record<string, unknown>;
    if (fstatHook.edit === null) return info;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(info)), info);
    fstatHook.edit(copy, fstatHook.calls++);
    return copy;
  }) as typeof fs.fstatSync;
  return { ...fs, default: { ...fs, fstatSync }, fstatSync };
});

const { hashFileSync } = await import("../../src/drift/hash-file.js");

const made: string[] = [];
afterEach(() => {
  fstatHook.edit = null;
  fstatHook.calls = 0;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function folderWith(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-hash-change-"));
  made.push(dir);
  writeFileSync(join(dir, "f"), content);
  chmodSync(join(dir, "f"), 0o644);
  return dir;
}

describe("a file that changes while it is hashed is refused", () => {
  it("when fewer bytes are read than the file held at open", () => {
    const dir = folderWith("hello");
    fstatHook.edit = (info) => (info["size"] = 6n);
    expect(hashFileSync(dir, "f", Buffer.alloc(64))).toEqual({ ok: false, problem: { path: `${dir}/f`, message: "changed while it was read (6 bytes at open, 5 read); scan again when the tree is quiet" } });
  });

  it("when its change time moved during the read, its size and modification time unchanged", () => {
    const dir = folderWith("hello");
    fstatHook.edit = (info, call) => {
      if (call > 0) info["ctimeNs"] = (info["ctimeNs"] as bigint) + 1n;
    };
    expect(hashFileSync(dir, "f", Buffer.alloc(64))).toEqual({ ok: false, problem: { path: `${dir}/f`, message: "changed while it was read (written in place); scan again when the tree is quiet" } });
  });

  it("and is recorded when nothing moved", () => {
    const dir = folderWith("hello");
    fstatHook.edit = () => {};
    expect(hashFileSync(dir, "f", Buffer.alloc(64))).toMatchObject({ ok: true, entry: { path: "f", size: 5, mode: "0644" } });
  });
});
