import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import { cp, mkdtemp, open, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { openBundle } from "../../src/evidence/open-bundle.js";
import { readEvidence, readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { isInside } from "../../src/evidence/read-inside.js";
import { readFileBounded } from "../../src/fsutil/read-bounded.js";
import { fixture } from "../helpers/paths.js";

const SECRET = "hunter2-webhook-secret-0123456789abcdef";

let temp: string;
let fifo: string | undefined;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-read-hardening-"));
});
afterEach(async () => {
  if (fifo !== undefined) {
    // Release a reader the old code left waiting for a writer.
    const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
    await writer?.close();
    fifo = undefined;
  }
  await rm(temp, { recursive: true, force: true });
});

describe("a bundle whose top level is not an object", () => {
  it("is bundle_invalid, described by type and length, never echoed", () => {
    const cases: Array<[string, string, string]> = [
      ["z.yaml", `${SECRET}\n`, `a text of ${SECRET.length} characters`],
      ["z.json", JSON.stringify(SECRET), `a text of ${SECRET.length} characters`],
      ["z.yaml", "- one\n- two\n", "a list of 2 item(s)"],
      ["z.json", "123456789", "a number"],
      ["z.yaml", "true\n", "a boolean"],
      ["z.json", "null", "nothing (null)"],
    ];
    for (const [name, text, says] of cases) {
      const opened = openBundle(name, Buffer.from(text), DEFAULT_LIMITS);
      expect(opened.findings, text).toEqual([{ code: "bundle_invalid", path: "bundle", message: expect.stringContaining(`expected an object, got ${says}`) }]);
      expect(JSON.stringify(opened.findings)).not.toContain(SECRET);
      expect(JSON.stringify(opened.findings)).not.toContain("123456789");
    }
  });
});

describe("a YAML bundle nested deeper than the yaml library can compose", () => {
  it("is blocked as malformed, though every read parses it twice (once aborted the process)", async () => {
    // 2 KB of `- - - …`: the first parse overflowed the stack, the second aborted Node (SIGABRT).
    const file = join(temp, "deep.bundle.yaml");
    await writeFile(file, `${"- ".repeat(1000)}a\n`);
    for (let round = 0; round < 2; round++) {
      const input = await readEvidence(file);
      expect(input.findings).toEqual([{ code: "bundle_malformed", path: "bundle", message: expect.stringMatching(/^nests deeper than 64 levels/) }]);
    }
  });
});

describe("readFileBounded and special files", () => {
  it("refuses a FIFO as not a regular file, without waiting for a writer", async () => {
    fifo = join(temp, "bundle.json");
    execFileSync("mkfifo", [fifo]);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), 5_000)));
    const read = await Promise.race([readFileBounded(fifo, 1024), hung]).finally(() => clearTimeout(timer));
    expect(read).toEqual({ ok: false, problem: "not a regular file", tooLarge: false });
  });

  it("refuses a character device", async () => {
    expect(await readFileBounded("/dev/zero", 1024)).toEqual({ ok: false, problem: "not a regular file", tooLarge: false });
  });
});

describe("readEvidenceSnapshot and links", () => {
  it("reads no artifact through a link leaving the run folder", async () => {
    const outside = join(temp, "outside.json");
    await writeFile(outside, `{"secret": "${SECRET}"}`);
    const run = join(temp, "run");
    await cp(fixture("openclaw-runs/green"), run, { recursive: true });
    await rm(join(run, "runtime-truth.json"));
    await symlink(outside, join(run, "runtime-truth.json"));
    const snapshot = await readEvidenceSnapshot(run);
    expect(snapshot.artifacts.get("runtime-truth.json")).toEqual({ ok: false, problem: "it resolves outside the bundle's folder" });
  });

  it("refuses a run folder outside the folder it must lie within", async () => {
    const run = join(temp, "run");
    await cp(fixture("openclaw-runs/green"), run, { recursive: true });
    const evidence = join(temp, "evidence");
    await cp(fixture("openclaw-runs/green"), join(evidence, "inside"), { recursive: true });
    const snapshot = await readEvidenceSnapshot(run, DEFAULT_LIMITS, { within: evidence });
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toMatch(/leads outside the evidence folder/);
    expect((await readEvidenceSnapshot(join(evidence, "inside"), DEFAULT_LIMITS, { within: evidence })).bundle).not.toBeNull();
  });

  it("isInside compares whole path parts", () => {
    expect(isInside("/srv/evidence", "/srv/evidence/run/x.json")).toBe(true);
    expect(isInside("/srv/evidence", "/srv/evidence")).toBe(false);
    expect(isInside("/srv/evidence", "/srv/evidence-other/x.json")).toBe(false);
    expect(isInside("/srv/evidence", "/srv/x.json")).toBe(false);
    expect(isInside("/", "/x.json")).toBe(true);
    expect(isInside("/srv/evidence", "/srv/evidence/..x.json")).toBe(true);
  });
});
