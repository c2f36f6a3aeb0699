import { execFile, execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { buildManifest } from "../../src/drift/manifest.js";
import type { Manifest } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { scanTree } from "../../src/drift/scan-tree.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { nobodyCanReadCheckout, REPO_ROOT } from "../helpers/paths.js";

const run = promisify(execFile);
const BIN = join(REPO_ROOT, "dist/cli/main.js");
const policy = await readPolicy();
const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A real folder under the system's temporary folder, removed after the test. */
function tempTree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "patchwarden-drift-"));
  chmodSync(root, 0o755);
  made.push(root);
  for (const [path, content] of Object.entries(files)) write(root, path, content);
  return root;
}

function write(root: string, path: string, content: string, mode = 0o644): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), content);
  chmodSync(join(root, path), mode);
}

async function manifestOf(root: string, ignore: (path: string) => boolean = () => false): Promise<Manifest> {
  const scan = await scanTree(root, { ignore });
  expect(scan.problems).toEqual([]);
  return buildManifest(scan.entries, { generatedAt: "2026-11-21T11:40:00.000Z", host: "test", root, ignore: [], generator: { name: "patchwarden", version: "0.1.0" } });
}

const TREE = {
  "README.md": "# tree\n",
  "docs/runbook.md": "deploy with the runbook\n",
  "scripts/deploy.sh": "#!/bin/sh\n",
  "systemd/user/openclaw-gateway.service": "[Service]\n",
  "config/empty.json": "",
};

describe("scanning a real tree", () => {
  it("records every file's path, sha256, size and mode, sorted", async () => {
    const root = tempTree(TREE);
    chmodSync(join(root, "scripts/deploy.sh"), 0o755);
    chmodSync(join(root, "docs/runbook.md"), 0o4750);
    const manifest = await manifestOf(root);
    expect(manifest.files).toEqual([
      { path: "README.md", type: "file", sha256: sha256Digest("# tree\n"), size: 7, mode: "0644" },
      { path: "config/empty.json", type: "file", sha256: sha256Digest(""), size: 0, mode: "0644" },
      { path: "docs/runbook.md", type: "file", sha256: sha256Digest("deploy with the runbook\n"), size: 24, mode: "4750" },
      { path: "scripts/deploy.sh", type: "file", sha256: sha256Digest("#!/bin/sh\n"), size: 10, mode: "0755" },
      { path: "systemd/user/openclaw-gateway.service", type: "file", sha256: sha256Digest("[Service]\n"), size: 10, mode: "0644" },
    ]);
  });

  it("records an empty folder as nothing, and an empty tree as no files", async () => {
    const root = tempTree();
    mkdirSync(join(root, "empty/deeper"), { recursive: true });
    expect((await manifestOf(root)).files).toEqual([]);
  });

  it("records symlinks as links and never follows them, wherever they point", async () => {
    const outside = tempTree({ "secret.txt": "not part of the tree" });
    const root = tempTree({ "releases/7/app.mjs": "export {};\n" });
    symlinkSync("releases/7", join(root, "current"));
    symlinkSync(join(outside, "secret.txt"), join(root, "leak"));
    symlinkSync(outside, join(root, "outside-folder"));
    symlinkSync("does-not-exist", join(root, "dangling"));
    const manifest = await manifestOf(root);
    expect(manifest.files.map((f) => [f.path, f.type, f.type === "symlink" ? f.target : null])).toEqual([
      ["current", "symlink", "releases/7"],
      ["dangling", "symlink", "does-not-exist"],
      ["leak", "symlink", join(outside, "secret.txt")],
      ["outside-folder", "symlink", outside],
      ["releases/7/app.mjs", "file", null],
    ]);
    const current = manifest.files[0]!;
    expect(current.sha256).toBe(sha256Digest("releases/7"));
    expect(current.size).toBe(10);
  });

  it("gives the same digest for the same tree, copied elsewhere and scanned later", async () => {
    const root = tempTree(TREE);
    symlinkSync("docs/runbook.md", join(root, "RUNBOOK"));
    const copy = tempTree();
    cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
    const [a, b] = [await manifestOf(root), await manifestOf(copy)];
    expect(a.root).not.toBe(b.root);
    expect(a.digest).toBe(b.digest);
  });

  it("skips ignored paths, and does not enter ignored folders", async () => {
    const root = tempTree({ ...TREE, ".git/HEAD": "ref: main\n", "logs/today.log": "x", "docs/notes.log": "y" });
    // A FIFO would be refused if the scan entered the folder.
    execFileSync("mkfifo", [join(root, ".git/pipe")]);
    const manifest = await manifestOf(root, (path) => path === ".git" || path.endsWith(".log"));
    expect(manifest.files.map((f) => f.path)).toEqual(["README.md", "config/empty.json", "docs/runbook.md", "scripts/deploy.sh", "systemd/user/openclaw-gateway.service"]);
  });

  it("asks ignore before judging a name: a skipped name is never refused, recorded or shown, however odd", async () => {
    const root = tempTree(TREE);
    writeFileSync(join(root, "docs/Icon\r"), "");
    writeFileSync(join(root, "docs/x\u202Edm.service"), "x");
    writeFileSync(Buffer.concat([Buffer.from(`${root}/docs/caf`), Buffer.from([0xe9]), Buffer.from(".tmp")]), "latin-1 name");
    const asked: string[] = [];
    const scan = await scanTree(root, { ignore: (path) => (asked.push(path), path === "docs/Icon\r" || path.includes("\u202E") || path === "docs/caf\uFFFD.tmp") });
    expect(scan.problems).toEqual([]);
    expect(scan.entries.map((e) => e.path).sort()).toEqual(["README.md", "config/empty.json", "docs/runbook.md", "scripts/deploy.sh", "systemd/user/openclaw-gateway.service"]);
    // Invalid UTF-8 reaches ignore as U+FFFD, so a glob like `**/*.tmp` can skip it.
    expect(asked).toContain("docs/caf\uFFFD.tmp");
  });

  it("refuses a name that is not valid UTF-8, naming the folder that holds it", async () => {
    const root = tempTree(TREE);
    writeFileSync(Buffer.concat([Buffer.from(`${root}/docs/caf`), Buffer.from([0xe9]), Buffer.from(".md")]), "latin-1 name");
    const scan = await scanTree(root, { ignore: () => false });
    expect(scan.problems).toEqual([
      { path: `${root}/docs`, message: "holds a name that is not valid UTF-8 (`caf\\xe9.md`); rename it to UTF-8, a manifest records every path as UTF-8 text" },
    ]);
  });

  it("refuses a name or link text with a line break, which would forge lines in a plan", async () => {
    const root = tempTree(TREE);
    writeFileSync(join(root, "docs/two\nlines.md"), "x");
    symlinkSync("a\u0007b", join(root, "bell"));
    const scan = await scanTree(root, { ignore: () => false });
    expect(scan.problems).toEqual([
      { path: `${root}/bell`, message: "is a symlink whose target holds a control character or line break (`a\\x07b`); point it at a plain path" },
      { path: `${root}/docs`, message: "holds a name with a control character or line break (`two\\x0alines.md`); rename it, no deploy needs one and it would forge lines in the plan" },
    ]);
  });

  it("refuses a name or link text with a bidirectional control, which would display as another name in a plan", async () => {
    const root = tempTree(TREE);
    writeFileSync(join(root, "docs/x\u202Edm.service"), "x");
    symlinkSync("\u2066/etc/shadow", join(root, "isolated"));
    const scan = await scanTree(root, { ignore: () => false });
    expect(scan.problems).toEqual([
      { path: `${root}/docs`, message: "holds a name with a bidirectional control character (`x\\xe2\\x80\\xaedm.service`); rename it, no deploy needs one and it would display as another name in the plan" },
      { path: `${root}/isolated`, message: "is a symlink whose target holds a bidirectional control character (`\\xe2\\x81\\xa6/etc/shadow`); point it at a plain path" },
    ]);
  });

  it("refuses a root that is not an absolute plain path: the manifest records it, and a reader would refuse it", async () => {
    const root = tempTree(TREE);
    const odd = join(root, "line\nbreak");
    mkdirSync(odd);
    expect((await scanTree(odd, { ignore: () => false })).problems).toEqual([{ path: "DIR", message: "`" + odd.replace("\n", "\\x0a") + "` holds a control character, line break or bidirectional control; scan a folder with a plain path" }]);
    expect((await scanTree("relative/x", { ignore: () => false })).problems).toEqual([{ path: "DIR", message: "`relative/x` is not an absolute path; the root is the scanned folder's absolute path, like `/opt/iskra-openclaw`" }]);
  });

  it("refuses a folder swapped for a link to somewhere else while the tree is scanned, and still follows a root that is a link", async () => {
    const root = tempTree(TREE);
    const outside = tempTree({ "secret.txt": "outside the tree" });
    // The swap happens between the folder's listing as a folder and its own listing.
    const scan = await scanTree(root, {
      threads: 0,
      ignore: (path) => {
        if (path === "docs") {
          renameSync(join(root, "docs"), join(outside, "docs.old"));
          symlinkSync(outside, join(root, "docs"));
        }
        return false;
      },
    });
    expect(scan.problems).toEqual([{ path: `${root}/docs`, message: "was replaced while the tree was scanned (by a symlink or another folder), so what was recorded under it may lie outside the tree; scan again when the tree is quiet" }]);
    const viaLink = join(tempTree({}), "current");
    symlinkSync(tempTree({ "a.md": "a" }), viaLink);
    const linked = await scanTree(viaLink, { ignore: () => false });
    expect([linked.problems, linked.entries.map((e) => e.path)]).toEqual([[], ["a.md"]]);
  });

  it("says a file, link or folder that was removed or swapped mid-scan changed, and to scan again, not that permissions are missing", async () => {
    const root = tempTree({ "a.md": "a", "b.md": "b", "c.md": "c", "gone/x.md": "x", "trigger.md": "t" });
    symlinkSync("a.md", join(root, "link"));
    symlinkSync("b.md", join(root, "link2"));
    // Every name of the root is listed before ignore sees the first one; files and links are read after the walk.
    const scan = await scanTree(root, {
      threads: 0,
      ignore: (path) => {
        if (path === "trigger.md") {
          unlinkSync(join(root, "a.md"));
          unlinkSync(join(root, "b.md"));
          symlinkSync("/etc/passwd", join(root, "b.md"));
          unlinkSync(join(root, "link"));
          unlinkSync(join(root, "link2"));
          writeFileSync(join(root, "link2"), "now a file");
          rmSync(join(root, "gone"), { recursive: true });
        }
        return false;
      },
    });
    const scanAgain = "while the tree was scanned; scan again when the tree is quiet";
    expect(scan.problems).toEqual([
      { path: `${root}/a.md`, message: `was removed ${scanAgain}` },
      { path: `${root}/b.md`, message: `was replaced by a symlink ${scanAgain}` },
      { path: `${root}/gone`, message: `was removed ${scanAgain}` },
      { path: `${root}/link`, message: `was removed ${scanAgain}` },
      { path: `${root}/link2`, message: `was replaced by a file or folder ${scanAgain}` },
    ]);
  });

  it("refuses FIFOs (and any file that is not a regular file, folder or symlink)", async () => {
    const root = tempTree(TREE);
    execFileSync("mkfifo", [join(root, "docs/pipe")]);
    const scan = await scanTree(root, { ignore: () => false });
    expect(scan.problems).toEqual([{ path: `${root}/docs/pipe`, message: "is a FIFO; a deploy tree holds only files, folders and symlinks, so remove it or --ignore it" }]);
  });

  it("refuses a folder that is not there, or a file given as the folder", async () => {
    const root = tempTree(TREE);
    expect((await scanTree(join(root, "nope"), { ignore: () => false })).problems).toEqual([{ path: join(root, "nope"), message: "cannot be read (no such file); give a folder this user may read" }]);
    expect((await scanTree(join(root, "README.md"), { ignore: () => false })).problems).toEqual([{ path: join(root, "README.md"), message: "is not a folder; give the folder to record" }]);
  });

  it.runIf(nobodyCanReadCheckout())("refuses unreadable files and folders, listing each, as a user who cannot read them", async () => {
    const root = tempTree(TREE);
    chmodSync(join(root, "config/empty.json"), 0o000);
    chmodSync(join(root, "systemd/user"), 0o000);
    // Root reads everything, so as root the built binary runs as `nobody` (setpriv, util-linux).
    const asNobody = process.getuid?.() === 0 ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, BIN]] : [process.execPath, [BIN]];
    const [command, prefix] = asNobody as [string, string[]];
    const result = await run(command, [...prefix, "drift", "manifest", root, "--host", "test"]).then(
      (ok) => ({ code: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    chmodSync(join(root, "systemd/user"), 0o755);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `patchwarden: cannot record \`${root}\` faithfully, so no manifest was written:`,
        `  ${root}/config/empty.json: cannot be read (permission denied); run the scan as a user who may read the whole tree, or --ignore it`,
        `  ${root}/systemd/user: cannot list this folder (permission denied); run the scan as a user who may read the whole tree, or --ignore it`,
        "",
      ].join("\n"),
    );
  });

  it("hashes on threads in the built binary exactly as inline in the library", async () => {
    const root = tempTree();
    for (let i = 0; i < 300; i++) write(root, `d${i % 7}/f${i}.bin`, `file ${i} `.repeat(i * 37), i % 5 === 0 ? 0o755 : 0o644);
    write(root, "big.bin", "x".repeat(3 * 1024 * 1024 + 17));
    symlinkSync("big.bin", join(root, "link"));
    const inline = await manifestOf(root);
    const { stdout } = await run(process.execPath, [BIN, "drift", "manifest", root, "--host", "test"]);
    const threaded = JSON.parse(stdout) as Manifest;
    expect(threaded.files).toHaveLength(302);
    expect(threaded.files).toEqual(inline.files);
    expect(threaded.digest).toBe(inline.digest);
  });
});

describe("two real trees, compared", () => {
  it("finds exactly the added, removed, changed, mode-changed, retargeted and retyped files", async () => {
    const local = tempTree(TREE);
    symlinkSync("releases/8", join(local, "current"));
    write(local, "docs/new.md", "new page\n");
    write(local, "RUNBOOK", "now a file\n");
    const remote = tempTree(TREE);
    symlinkSync("releases/7", join(remote, "current"));
    write(remote, "docs/retired.md", "old page\n");
    symlinkSync("docs/runbook.md", join(remote, "RUNBOOK"));
    write(remote, "docs/runbook.md", "deploy by hand\n");
    chmodSync(join(remote, "scripts/deploy.sh"), 0o777);
    unlinkSync(join(remote, "config/empty.json"));
    write(remote, "config/empty.json", "");
    const plan = buildPlan({ local: await manifestOf(local), remote: await manifestOf(remote), rules: policy.drift!, policy: { name: policy.name, digest: policy.digest }, now: Date.parse("2026-11-21T11:50:00Z") });
    expect(plan.files.map((f) => [f.path, f.change, f.differs.join("+")])).toEqual([
      ["RUNBOOK", "changed", "type+content+mode"],
      ["current", "changed", "content"],
      ["docs/new.md", "added", ""],
      ["docs/retired.md", "removed", ""],
      ["docs/runbook.md", "changed", "content"],
      ["scripts/deploy.sh", "changed", "mode"],
    ]);
    expect(plan.counts).toEqual({ changed: 4, added: 1, removed: 1, unchanged: 3 });
    expect(plan.prechecks.backup.files.map((b) => b.path)).toEqual(["RUNBOOK", "current", "docs/retired.md", "docs/runbook.md", "scripts/deploy.sh"]);
  });
});
