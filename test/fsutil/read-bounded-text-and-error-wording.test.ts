import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeFsError, readFileBounded, readSmallTextFile } from "../../src/fsutil/read-bounded.js";

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-read-bounded-"));
});
afterEach(async () => rm(temp, { recursive: true, force: true }));

describe("readSmallTextFile", () => {
  it("reads the file as UTF-8, as readFile would", async () => {
    const file = join(temp, "patchwarden.toml");
    const text = 'owner = "Zoë Ångström"\nnote = "ключ ✓ 🔑"\n';
    await writeFile(file, text);
    expect(await readSmallTextFile(file)).toBe(text);
  });
});

describe("a read refused by the file system says why, in words", () => {
  it("a symbolic link loop is named as one, with its code", async () => {
    const a = join(temp, "a.bundle.json");
    const b = join(temp, "b.bundle.json");
    await symlink(b, a);
    await symlink(a, b);
    const read = await readFileBounded(a, 1024);
    expect(read).toMatchObject({ ok: false, problem: "too many levels of symbolic links", tooLarge: false, code: "ELOOP" });
  });

  it("EPERM reads as permission denied, like EACCES, without the system's message or path", () => {
    const error = Object.assign(new Error("EPERM: operation not permitted, open '/srv/secret/key'"), { code: "EPERM" });
    expect(describeFsError(error)).toBe("permission denied");
  });
});
