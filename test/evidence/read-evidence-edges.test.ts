// The file-system edge of one bundle or run folder: which files it reads, what it refuses, and how
// it names a bundle it could not read.
import { cp, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { sha256Hex } from "../../src/integrity/digest.js";
import { bundleOf, item } from "../helpers/bundles.js";
import { fixture } from "../helpers/paths.js";

const SECRET = "hunter2-webhook-secret-0123456789abcdef";

let temp: string;
beforeEach(async () => {
  temp = await realpath(await mkdtemp(join(tmpdir(), "pw-read-edges-")));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("a run folder whose evidence-bundle.json links out of the folder", () => {
  it("is not read: the snapshot names the link and its run folder, and holds none of the target's bytes", async () => {
    const outside = join(temp, "secret.json");
    await writeFile(outside, JSON.stringify({ schema: "openclaw.safe_update.evidence_bundle.v1", secret: SECRET }));
    const run = join(temp, "run");
    await cp(fixture("openclaw-runs/green"), run, { recursive: true });
    await rm(join(run, "evidence-bundle.json"));
    await symlink(outside, join(run, "evidence-bundle.json"));

    const snapshot = await readEvidenceSnapshot(run);
    const bundleFile = join(run, "evidence-bundle.json");
    expect(snapshot).toEqual({
      origin: bundleFile,
      name: "evidence-bundle.json",
      bundle: null,
      problem: `\`${bundleFile}\` leads outside its run folder \`${run}\` (a symbolic link); the gate reads only what is inside, so put the bundle itself there`,
      artifacts: new Map(),
    });
    expect(JSON.stringify(snapshotToInput(snapshot))).not.toContain(SECRET);
    expect(snapshotToInput(snapshot).findings.map((f) => f.code)).toEqual(["bundle_unreadable"]);
  });

  it("a bundle file read within an evidence folder that links out of it is refused, naming the evidence folder", async () => {
    const evidence = join(temp, "evidence");
    await mkdir(evidence);
    const outside = join(temp, "secret.json");
    await writeFile(outside, JSON.stringify({ secret: SECRET }));
    const link = join(evidence, "b.json");
    await symlink(outside, link);

    const snapshot = await readEvidenceSnapshot(link, DEFAULT_LIMITS, { within: evidence });
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problem).toBe(`\`${link}\` leads outside the evidence folder (a symbolic link); the gate reads only what is inside, so put the bundle itself there`);
    expect(JSON.stringify(snapshotToInput(snapshot))).not.toContain(SECRET);
  });
});

describe("a bundle file over the bundle limit", () => {
  it("is blocked as bundle_too_large, saying its size and the limit, never as unreadable", async () => {
    const file = join(temp, "big.bundle.json");
    await writeFile(file, Buffer.alloc(2048, 0x20));
    const snapshot = await readEvidenceSnapshot(file, { ...DEFAULT_LIMITS, maxBundleBytes: 1024 });
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.problemCode).toBe("bundle_too_large");
    expect(snapshot.problem).toBe(`\`${file}\` is 2 KiB, over the 1 KiB limit; keep large artifacts outside the bundle and reference them by sha256`);
    expect(snapshotToInput(snapshot).findings).toEqual([{ code: "bundle_too_large", path: "bundle", message: snapshot.problem }]);
  });
});

describe("a bundle naming artifacts beside it", () => {
  it("reads its one artifact and checks it against the declared digest", async () => {
    const log = "gateway answered 503 for four minutes\n";
    await writeFile(join(temp, "gateway.log"), log);
    const bundle = bundleOf("runtime_diagnostics", [item("incident-packet", { artifact: "gateway.log", sha256: sha256Hex(log), subject: "gateway" })]);
    await writeFile(join(temp, "bundle.json"), JSON.stringify(bundle));

    const snapshot = await readEvidenceSnapshot(join(temp, "bundle.json"));
    expect([...snapshot.artifacts.keys()]).toEqual(["gateway.log"]);
    expect(snapshot.artifacts.get("gateway.log")?.ok).toBe(true);
    const input = snapshotToInput(snapshot);
    expect(input.artifacts).toEqual([{ evidenceIndex: 0, path: "gateway.log", declared: `sha256:${sha256Hex(log)}`, observed: `sha256:${sha256Hex(log)}` }]);
  });

  it("an item giving a sha256 but no artifact asks for no file and gets no artifact check", async () => {
    const bundle = bundleOf("runtime_diagnostics", [item("incident-packet", { sha256: "a".repeat(64), subject: "gateway" })]);
    await writeFile(join(temp, "bundle.json"), JSON.stringify(bundle));
    const snapshot = await readEvidenceSnapshot(join(temp, "bundle.json"));
    expect(snapshot.artifacts.size).toBe(0);
    const input = snapshotToInput(snapshot);
    expect(input.findings).toEqual([]);
    expect(input.artifacts).toEqual([]);
  });
});
