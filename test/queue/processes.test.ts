import { spawn, execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { serve, type ServerType } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { proposeVerdict } from "../../src/queue/propose-verdict.js";
import { FakeForgejo } from "../helpers/fake-forgejo.js";
import { freshBundleBytes } from "../helpers/bundles.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { REPO } from "../helpers/server-harness.js";

const run = promisify(execFile);
const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));
const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

describe("the queue under process failure", () => {
  it("a process killed at any instant leaves every proposal whole or absent", async () => {
    const dir = await tempDir("pw-crash-");
    const script = join(REPO_ROOT, "test/queue/fixtures/write-proposals.mjs");
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, [script, dir, String(round % 3)], { stdio: ["ignore", "pipe", "ignore"] });
      await new Promise((resolve) => child.stdout!.once("data", resolve));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 60)));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const folder = join(dir, "queue", "proposals");
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith(".json"))) {
        const text = await readFile(join(folder, name), "utf8");
        expect(() => JSON.parse(text), `${name} after kill ${round}`).not.toThrow();
      }
    }
    const listed = await new ProposalStore(dir).list();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((p) => p.post.kind === "comment" && p.post.body.startsWith("iteration "))).toBe(true);
  });
});

describe("approvals from several processes at once", () => {
  let http: ServerType | null = null;
  afterEach(async () => {
    if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
    http = null;
  });

  it("post exactly one comment, and every other process is refused", async () => {
    let fake: FakeForgejo | null = null;
    const origin = await new Promise<string>((resolve) => {
      http = serve({ fetch: (request) => fake!.handle(request), hostname: "127.0.0.1", port: 0 }, (info) => resolve(`http://127.0.0.1:${info.port}`));
    });
    fake = new FakeForgejo(origin);
    fake.writesAllowed = true;
    fake.issue(REPO, 3);
    const dir = await tempDir("pw-approvers-");
    // The approvers run the real binary with the real clock, so the evidence must be fresh now.
    const now = Date.now();
    const bytes = freshBundleBytes(now);
    const snapshot = { origin: "test", name: "fresh.bundle.json", bundle: bytes, artifacts: new Map() };
    const proposal = await proposeVerdict(snapshot, { repo: REPO, kind: "issue", number: 3 }, { trigger: "label", delivery: null, idSeed: "run-1" }, {
      evidence: new EvidenceStore(dir),
      proposals: new ProposalStore(dir),
      policy: await readPolicy(),
      now,
      actor: "patchwarden",
      outputs: new Set(["queue"]),
      printLine: () => {},
    });
    expect(proposal.verdict.verdict).toBe("eligible_repair_dry_run");
    const env = { ...process.env, PATCHWARDEN_FORGEJO_URL: origin, PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token", PATCHWARDEN_DATA_DIR: dir };
    const approvers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        run(process.execPath, [join(REPO_ROOT, "dist/cli/main.js"), "queue", "approve", proposal.id, "--actor", `op-${i}`], { env }).then(
          (r) => ({ code: 0, out: r.stdout + r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
        ),
      ),
    );
    expect(fake.violations).toEqual([]);
    expect(fake.posted).toHaveLength(1);
    expect(approvers.filter((a) => a.code === 0)).toHaveLength(1);
    for (const refused of approvers.filter((a) => a.code !== 0)) {
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/is being handled right now by op-\d|is posted; only a pending proposal can be approved/);
    }
    expect((await new ProposalStore(dir).require(proposal.id)).state).toBe("posted");
  });
});
