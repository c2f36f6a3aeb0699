import { readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { currentProcess } from "../../src/locks/process-identity.js";
import { takeClaim } from "../../src/queue/claim.js";
import { tempDirs } from "../receipts/helpers.js";

// What another process does between the first attempt to take the claim (refused: another host
// holds it) and the judgement of that holder's age: run once, right after that refusal.
const between = vi.hoisted(() => ({ run: null as null | ((path: string) => Promise<void>) }));

vi.mock("../../src/locks/holder-file.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/locks/holder-file.js")>();
  const takeHolderFile = (async (path: string, fields: object, mode?: number) => {
    const result = await real.takeHolderFile(path, fields, mode);
    const run = between.run;
    if (!result.ok && run !== null) {
      between.run = null;
      await run(path);
    }
    return result;
  }) as typeof real.takeHolderFile;
  return { ...real, takeHolderFile };
});

const temp = tempDirs("claim-changed");
const DAY = 24 * 3600_000;

const stale = () => ({ pid: 4242, host: "old-iskra-host", owner: "alice", at: new Date(Date.now() - DAY).toISOString() });

async function staleForeignClaim(): Promise<string> {
  const path = join(await temp(), "p_1.claim");
  await writeFile(path, JSON.stringify(stale()));
  const dayAgo = new Date(Date.now() - DAY);
  await utimes(path, dayAgo, dayAgo);
  return path;
}

afterEach(() => {
  between.run = null;
});

describe("a stale claim from another host that changes while it is judged", () => {
  it("released meanwhile: the claim is taken", async () => {
    const path = await staleForeignClaim();
    between.run = (claim) => rm(claim);
    const taken = await takeClaim(path, "bob", new Date().toISOString());
    expect(taken.ok).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ owner: "bob", pid: process.pid, host: currentProcess().host });
    if (taken.ok) await taken.release();
  });

  it.each([
    ["pid", { pid: 4243 }],
    ["host", { host: "new-iskra-host" }],
    ["owner", { owner: "carol" }],
    ["time", { at: new Date().toISOString() }],
  ])("replaced meanwhile by another claim (another %s): the new claim is left alone, and the proposal is refused", async (_what, change) => {
    const path = await staleForeignClaim();
    let replacement = "";
    between.run = async (claim) => {
      replacement = JSON.stringify({ ...JSON.parse(await readFile(claim, "utf8")), ...change });
      await writeFile(claim, replacement);
    };
    const taken = await takeClaim(path, "bob", new Date().toISOString());
    expect(taken.ok).toBe(false);
    expect(await readFile(path, "utf8")).toBe(replacement);
  });

  it("unreadable for a moment (being rewritten): left alone, and the refusal names the holder that was seen", async () => {
    const path = await staleForeignClaim();
    between.run = (claim) => writeFile(claim, '{"pid":42');
    const taken = await takeClaim(path, "bob", new Date().toISOString());
    expect(taken).toMatchObject({ ok: false, holder: { owner: "alice", host: "old-iskra-host", pid: 4242 } });
    expect(await readFile(path, "utf8")).toBe('{"pid":42');
  });
});
