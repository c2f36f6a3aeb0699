import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nobodyCanReadCheckout, REPO_ROOT } from "../helpers/paths.js";
import { DEPLOY, ENV_EXAMPLE, LAYOUT, relocate } from "./unit-files.js";

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function settle(running: Promise<{ stdout: string; stderr: string }>): Promise<Run> {
  return running.then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * Help, the version, `schema` and `drift manifest` read no setting and nothing in the data folder:
 * the wrapper runs them for any login, root included, without the environment file. Every other
 * command line keeps both checks. Probed with no environment file at all and a stand-in for node:
 * a command the wrapper lets through reaches node without reading the file; any other is refused
 * (as root: for root; otherwise: for the missing file) before node runs.
 */
describe("the operator's wrapper, for commands that read no setting", () => {
  let wrapper = "";
  beforeAll(async () => {
    const dir = await tempDir("pw-wrapper-free-");
    const fakeNode = join(dir, "node");
    // Prints the arguments after the script, then whether any data folder was handed over.
    await writeFile(fakeNode, `#!/bin/sh\nshift\nfor a in "$@"; do printf '%s\\n' "$a"; done\nprintf 'data=%s\\n' "\${PATCHWARDEN_DATA_DIR-<unset>}"\n`, { mode: 0o755 });
    const text = (await readFile(join(DEPLOY, "bin", "patchwarden"), "utf8")).replaceAll(LAYOUT.envFile, join(dir, "missing.env")).replaceAll(LAYOUT.node, fakeNode);
    wrapper = join(dir, "patchwarden");
    await writeFile(wrapper, text, { mode: 0o755 });
  });

  const wrapped = (args: string[]) => settle(run(wrapper, args, { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } }));

  it.each([
    [[]],
    [["--help"]],
    [["-h"]],
    [["help"]],
    [["--help", "queue"]],
    [["--version"]],
    [["-V"]],
    [["schema"]],
    [["schema", "evidence-bundle"]],
    [["drift", "manifest", "/opt/iskra-openclaw", "--ignore", ".git", "--host", "iskra"]],
    [["drift", "manifest", "--help"]],
    [["serve", "--help"]],
    [["queue", "-h"]],
    [["queue", "approve", "--help"]],
    [["drift", "plan", "--help"]],
  ])("runs %j without the environment file, and sets no data folder", async (args) => {
    const result = await wrapped(args);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([...args, "data=<unset>", ""].join("\n"));
  });

  it.each([
    // They read the data folder or the signing key.
    [["queue", "list"]],
    [["lock", "status"]],
    [["receipts", "verify"]],
    [["runtime-repair-check", "--bundle", "b.json"]],
    // They default to the server's policy, which only the environment file names.
    [["drift", "plan", "--local", "l.json", "--remote", "r.json"]],
    [["policy", "validate"]],
    [["policy", "validate", "policy.toml"]],
    [["policy", "test", "cases"]],
    // A `--help` that is not the command's flag: after `--` it is an argument, so the command runs.
    [["replay", "--", "--help"]],
    [["queue", "list", "--json", "--help"]],
    [["runtime-repair-check", "--bundle", "--help"]],
    [["receipts", "verify", "--data-dir", "/tmp/x", "--help"]],
    [["drift"]],
    [["drift", "manifests", "/opt"]],
  ])("keeps both checks for %j", async (args) => {
    const result = await wrapped(args);
    expect(result.code).toBe(2);
    expect(result.stdout, "node never ran").toBe("");
    expect(result.stderr).toContain(isRoot ? "refusing to run as root" : "missing.env: no such file");
  });
});

/**
 * docs/operations/deploy-drift-lane.md, step 2: "Record the host's tree the same way, on the host":
 *
 *   ssh iskra patchwarden drift manifest /opt/iskra-openclaw --ignore .git --host iskra > remote.json
 *
 * On a host installed as docs/operations/install.md says, `patchwarden` is the wrapper, and the
 * environment file is root:patchwarden 0640. The command must work for root and for an ordinary
 * login, both of which the wrapper refuses for the commands that need its checks.
 */
describe("the drift lane's documented host command, on a host installed per install.md", () => {
  let root = "";
  let wrapper = "";
  let tree = "";
  let documented = "";

  beforeAll(async () => {
    root = await tempDir("pw-wrapper-drift-");
    await chmod(root, 0o755);
    const units = join(root, "units");
    const envFile = join(root, "patchwarden.env");
    const data = join(root, "data");
    await relocate(units, { data, evidence: join(root, "evidence"), envFile });
    await mkdir(data, { recursive: true });
    // As install.md installs it: 0640, group patchwarden (here root's), not readable by others.
    await writeFile(envFile, await readFile(join(units, ENV_EXAMPLE), "utf8"), { mode: 0o640 });
    await chmod(envFile, 0o640);
    wrapper = join(units, "patchwarden");
    tree = join(root, "iskra-openclaw");
    await mkdir(join(tree, "config"), { recursive: true });
    await writeFile(join(tree, "config", "openclaw.json5"), "{}\n");
    await chmod(tree, 0o755);
    await chmod(join(tree, "config"), 0o755);
    await chmod(join(tree, "config", "openclaw.json5"), 0o644);
    const doc = await readFile(join(REPO_ROOT, "docs/operations/deploy-drift-lane.md"), "utf8");
    const line = doc.split("\n").find((l) => l.trim().startsWith("ssh iskra "));
    expect(line, "the drift lane's remote-manifest command").toBeDefined();
    // What runs on the host: the command after `ssh iskra`, up to the redirection.
    documented = line!.trim().replace(/^ssh iskra /, "").replace(/\s*>.*$/, "");
  });

  /** A command line with the install layout moved onto this checkout, as `sh -c` runs it over ssh. */
  function onThisHost(command: string): string {
    return command
      .replace(/(^|\s)patchwarden(?=\s)/, `$1${wrapper}`)
      .replaceAll(LAYOUT.code, REPO_ROOT.replace(/\/$/, ""))
      .replaceAll(LAYOUT.node, process.execPath)
      .replaceAll("/opt/iskra-openclaw", tree);
  }

  function runAs(uid: number | null, command: string): Promise<Run> {
    const line = onThisHost(command);
    const [file, args] = uid === null ? ["sh", ["-c", line]] : ["setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "sh", "-c", line]];
    const env = { PATH: `${join(process.execPath, "..")}:/usr/local/bin:/usr/bin:/bin` };
    return settle(run(file, args as string[], { cwd: root, env }));
  }

  it.skipIf(!isRoot)("records the tree when run as root (a login that can read the whole tree)", async () => {
    const result = await runAs(null, documented);
    expect(result.stderr).not.toContain("refusing to run as root");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ schema: "patchwarden.deploy_manifest.v1", host: "iskra", ignore: [".git"] });
  });

  it.skipIf(!isRoot || !nobodyCanReadCheckout())("records the tree when run as an ordinary login (not in group patchwarden)", async () => {
    const result = await runAs(65534, documented);
    expect(result.stderr).not.toContain("not readable by");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ schema: "patchwarden.deploy_manifest.v1", host: "iskra" });
  });

  it.skipIf(!isRoot || !nobodyCanReadCheckout())("still refuses that login a command that needs the environment file", async () => {
    const result = await runAs(65534, "patchwarden queue list");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("not readable by");
  });
});
