import { copyFile, mkdtemp, readFile, rm, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PolicyHolder } from "../../src/policy/policy-holder.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { recordingLog } from "../helpers/recording-log.js";

const T0 = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let path: string;
let shipped: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-holder-"));
  path = join(dir, "policy.toml");
  shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  await writeFile(path, shipped);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The shipped policy under another name, so its digest differs. */
const tightened = () => shipped.replace(/^name = "([^"]+)"/m, 'name = "$1-tightened"');

describe("PolicyHolder: the server's policy, picked up again when the file changes", () => {
  it("picks up a valid edit at the next check, and logs the change of digest", async () => {
    const { log, lines } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const before = holder.latest.digest;
    expect(tightened()).not.toBe(shipped);
    await writeFile(path, tightened());
    expect((await holder.current(T0 + 5_000)).digest).not.toBe(before);
    expect(lines).toEqual([{ level: "info", event: "policy.reloaded", fields: { path, from: before, to: holder.latest.digest } }]);
  });

  it("refuses an edit that does not validate, names the problem, and keeps the last good policy", async () => {
    const { log, lines } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const good = holder.latest.digest;
    await writeFile(path, `${shipped}\nunknown_key = true\n`);
    expect((await holder.current(T0 + 5_000)).digest).toBe(good);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", event: "policy.invalid_edit_refused", fields: { path, keeping: good } });
    expect(JSON.stringify(lines[0]!.fields.problems)).toContain("unknown_key");
    // Fixed: the next check takes the fixed file.
    await writeFile(path, tightened());
    expect((await holder.current(T0 + 10_000)).digest).not.toBe(good);
  });

  it("keeps the policy, and says so, when the file disappears", async () => {
    const { log, lines } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const good = holder.latest.digest;
    await unlink(path);
    expect((await holder.current(T0 + 5_000)).digest).toBe(good);
    expect(lines).toMatchObject([{ level: "error", event: "policy.unreadable", fields: { path, keeping: good } }]);
  });

  it("sees a rewrite that keeps the old modification time (cp -p, rsync -t, or two writes in one timestamp tick)", async () => {
    const { log } = recordingLog();
    // A whole second, so setting it again gives exactly the same time.
    const time = new Date("2026-11-20T10:00:00Z");
    await utimes(path, time, time);
    const holder = await PolicyHolder.load(path, log);
    const good = holder.latest.digest;
    const other = join(dir, "other.toml");
    // Same size, so neither size nor mtime tells the files apart: only the change time can.
    const sameSize = shipped.replace('name = "iskra-openclaw"', 'name = "iskra-openclax"');
    expect(sameSize).not.toBe(shipped);
    expect(Buffer.byteLength(sameSize)).toBe(Buffer.byteLength(shipped));
    await writeFile(other, sameSize);
    await copyFile(other, path);
    await utimes(path, time, time);
    expect((await stat(path)).mtimeMs).toBe(time.getTime());
    expect((await holder.current(T0 + 5_000)).digest).not.toBe(good);
  });

  it("checks again after the clock was set back, instead of waiting for it to catch up", async () => {
    const { log } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const good = holder.latest.digest;
    await holder.current(T0);
    await writeFile(path, tightened());
    // Within the same second nothing is read again…
    expect((await holder.current(T0 + 500)).digest).toBe(good);
    // …but a clock set back an hour checks at once.
    expect((await holder.current(T0 - 3_600_000)).digest).not.toBe(good);
  });
});

const renamed = (suffix: string) => shipped.replace(/^name = "([^"]+)"/m, `name = "$1-${suffix}"`);

describe("PolicyHolder checks the file once a second, no more and no less", () => {
  it("looks at the file again exactly one second after the last check", async () => {
    const { log } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const first = await holder.current(T0);
    await writeFile(path, renamed("next"));
    expect(await holder.current(T0 + 999)).toBe(first);
    expect((await holder.current(T0 + 1_000)).digest).not.toBe(first.digest);
  });
});

describe("PolicyHolder reads a changed file once", () => {
  it("refuses an invalid edit once, not again at every later check of the same file", async () => {
    const { log, lines } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const good = holder.latest;
    await writeFile(path, `${shipped}\nunknown_key = true\n`);
    expect(await holder.current(T0)).toBe(good);
    expect(await holder.current(T0 + 2_000)).toBe(good);
    expect(await holder.current(T0 + 4_000)).toBe(good);
    expect(lines.map((line) => line.event)).toEqual(["policy.invalid_edit_refused"]);
  });

  it("keeps the very policy it holds while the file is unchanged", async () => {
    const { log, lines } = recordingLog();
    const holder = await PolicyHolder.load(path, log);
    const loaded = holder.latest;
    expect(await holder.current(T0)).toBe(loaded);
    expect(await holder.current(T0 + 2_000)).toBe(loaded);
    expect(lines).toEqual([]);
  });
});
