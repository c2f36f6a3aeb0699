import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { PolicyHolder } from "../../src/policy/policy-holder.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";

function recordingLog() {
  const lines: Array<{ level: string; event: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (event: string, fields: Record<string, unknown> = {}) => void lines.push({ level, event, fields });
  const log: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
}

const T0 = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let path: string;
let shipped: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-holder-checks-"));
  path = join(dir, "policy.toml");
  shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  await writeFile(path, shipped);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

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
