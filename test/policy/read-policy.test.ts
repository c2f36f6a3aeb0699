import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { PolicyLoadError, readPolicy } from "../../src/policy/read-policy.js";

const dir = mkdtempSync(join(tmpdir(), "read-policy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(file: string): Promise<string[]> {
  const error = await readPolicy(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolicyLoadError);
  return (error as PolicyLoadError).diagnostics.map(formatDiagnostic);
}

// The size limit is checked on the open file, before reading: a 1.5 GB file was read whole into
// memory, one past 2 GiB failed with Node's raw ERR_FS_FILE_TOO_LARGE, and /dev/zero never ended.
describe("a policy file is refused by its kind and size, without reading it whole", () => {
  it("a file past 2 GiB says it is over the 1 MiB limit", async () => {
    const file = join(dir, "huge.toml");
    writeFileSync(file, "");
    truncateSync(file, 3 * 1024 * 1024 * 1024); // sparse: no disk used
    expect(await refusal(file)).toEqual([`policy: \`${file}\` is 3072 MiB, over the 1 MiB limit for a policy; give the path of a policy TOML file`]);
  });

  it("one byte over 1 MiB is refused, 1 MiB itself is read", async () => {
    const over = join(dir, "over.toml");
    writeFileSync(over, Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect(await refusal(over)).toEqual([`policy: \`${over}\` is 1 MiB, over the 1 MiB limit for a policy; give the path of a policy TOML file`]);
    const full = join(dir, "full.toml");
    writeFileSync(full, Buffer.alloc(1024 * 1024, 0x20));
    // Read, then refused for what it holds (nothing), not for its size.
    expect((await refusal(full)).join("\n")).not.toContain("limit");
  });

  it("a device, such as /dev/zero, is no policy", async () => {
    expect(await refusal("/dev/zero")).toEqual(["policy: cannot read `/dev/zero` (not a regular file); give the path of a policy TOML file"]);
  });

  it("a folder and a missing file say so", async () => {
    const folder = join(dir, "folder");
    mkdirSync(folder);
    expect(await refusal(folder)).toEqual([`policy: cannot read \`${folder}\` (is a folder, not a file); give the path of a policy TOML file`]);
    expect(await refusal(join(dir, "absent.toml"))).toEqual([`policy: cannot read \`${join(dir, "absent.toml")}\` (no such file); give the path of a policy TOML file`]);
  });
});
