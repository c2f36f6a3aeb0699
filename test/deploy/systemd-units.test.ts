import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";
import { SERVE_NODE_FLAGS } from "../../src/server/heap-tuning.js";
import { fixture, REPO_ROOT } from "../helpers/paths.js";
import {
  commandLine,
  ENV_EXAMPLE,
  GATE_TIMER,
  GATE_UNIT,
  LAYOUT,
  parseEnvFile,
  parseUnit,
  readDeploy,
  relocate,
  SERVER_UNIT,
  UNIT_FILES,
  value,
  values,
  type Unit,
} from "./unit-files.js";

const run = promisify(execFile);
const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";
// Skipped only when systemd-analyze is not installed (macOS, minimal containers): the checks by
// systemd itself need it; the static checks and the runs of the units' command lines still run.
const haveSystemdAnalyze = existsSync(SYSTEMD_ANALYZE);
const isRoot = process.getuid?.() === 0;

const units = new Map<string, Unit>();
let envText = "";
beforeAll(async () => {
  for (const name of UNIT_FILES) units.set(name, parseUnit(await readDeploy(`systemd/${name}`)));
  envText = await readDeploy(`systemd/${ENV_EXAMPLE}`);
});
const unit = (name: string): Unit => units.get(name)!;

const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** What the issue asks of both services, and the hardening that works with node (see the units' comments). */
const HARDENING: Record<string, string> = {
  NoNewPrivileges: "yes",
  CapabilityBoundingSet: "",
  AmbientCapabilities: "",
  ProtectSystem: "strict",
  ProtectHome: "yes",
  PrivateTmp: "yes",
  PrivateDevices: "yes",
  ProtectKernelTunables: "yes",
  ProtectKernelModules: "yes",
  ProtectKernelLogs: "yes",
  ProtectControlGroups: "yes",
  ProtectClock: "yes",
  ProtectHostname: "yes",
  RestrictNamespaces: "yes",
  RestrictRealtime: "yes",
  RestrictSUIDSGID: "yes",
  LockPersonality: "yes",
  SystemCallArchitectures: "native",
  SystemCallErrorNumber: "EPERM",
  UMask: "0027",
  ReadWritePaths: LAYOUT.data,
  StateDirectory: "patchwarden",
  User: "patchwarden",
  Group: "patchwarden",
  EnvironmentFile: LAYOUT.envFile,
};

describe("the systemd units, as written", () => {
  it.each([SERVER_UNIT, GATE_UNIT])("%s carries every hardening directive with its value", (name) => {
    const service = unit(name);
    for (const [key, expected] of Object.entries(HARDENING)) expect(value(service, "Service", key), `${name}: ${key}=`).toBe(expected);
    expect(values(service, "Service", "SystemCallFilter")).toEqual(["@system-service", "~@privileged @resources"]);
    // V8's JIT needs writable+executable pages; node aborts under this.
    expect(values(service, "Service", "MemoryDenyWriteExecute")).toEqual([]);
    // A dynamic user could not share the data folder with the operator's commands.
    expect(values(service, "Service", "DynamicUser")).toEqual([]);
    expect(values(service, "Service", "ReadWritePaths")).toEqual([LAYOUT.data]);
    // Node flags may come between node and the program (the server's heap sizing).
    expect(value(service, "Service", "ExecStart")?.replace(/^(\S+)(?: --\S+)* /, "$1 ").startsWith(`${LAYOUT.node} ${LAYOUT.code}/dist/cli/main.js `)).toBe(true);
  });

  it("the server restarts on failure, but not on a configuration it cannot fix, and reaches only the network it needs", () => {
    const server = unit(SERVER_UNIT);
    // Started with the node flags that keep it in its memory budget, as `npm start` does.
    expect(value(server, "Service", "ExecStart")).toBe(`${LAYOUT.node} ${SERVE_NODE_FLAGS.join(" ")} ${LAYOUT.code}/dist/cli/main.js serve`);
    expect(value(server, "Service", "Restart")).toBe("on-failure");
    expect(value(server, "Service", "RestartPreventExitStatus")).toBe("2");
    expect(value(server, "Service", "KillSignal")).toBe("SIGTERM");
    expect(value(server, "Service", "RestrictAddressFamilies")).toBe("AF_INET AF_INET6 AF_UNIX");
    expect(value(server, "Install", "WantedBy")).toBe("multi-user.target");
  });

  it("the hourly gate is a oneshot that takes needs_human and blocked as outcomes, and has no network", () => {
    const gate = unit(GATE_UNIT);
    expect(value(gate, "Service", "Type")).toBe("oneshot");
    const success = values(gate, "Service", "SuccessExitStatus").flatMap((v) => v.split(/\s+/));
    expect(success).toEqual(expect.arrayContaining(["10", "20"]));
    // 2 (cannot run) and 1 (internal) must stay failures that show in `systemctl --failed`.
    expect(success).not.toContain("1");
    expect(success).not.toContain("2");
    expect(value(gate, "Service", "ExecStart")).toBe(
      `${LAYOUT.node} ${LAYOUT.code}/dist/cli/main.js runtime-repair-check --latest-in ${LAYOUT.evidence} --propose \${PATCHWARDEN_GATE_TARGET} --data-dir \${PATCHWARDEN_DATA_DIR} --actor patchwarden --format json`,
    );
    expect(value(gate, "Service", "ReadOnlyPaths")).toBe(`-${LAYOUT.evidence}`);
    expect(value(gate, "Service", "PrivateNetwork")).toBe("yes");
    expect(value(gate, "Service", "RestrictAddressFamilies")).toBe("AF_UNIX");
    // Started by its timer only.
    expect(gate.has("Install")).toBe(false);
  });

  it("the timer runs the gate hourly, catches up after downtime, and spreads its start by a few minutes", () => {
    const timer = unit(GATE_TIMER);
    expect(value(timer, "Timer", "OnCalendar")).toBe("hourly");
    expect(value(timer, "Timer", "Persistent")).toBe("true");
    const delay = /^(\d+)(s|min)$/.exec(value(timer, "Timer", "RandomizedDelaySec") ?? "");
    expect(delay, "RandomizedDelaySec= in s or min").not.toBeNull();
    const seconds = Number(delay![1]) * (delay![2] === "min" ? 60 : 1);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    // No Unit=: the timer starts the service of its own name.
    expect(values(timer, "Timer", "Unit")).toEqual([]);
    expect(GATE_TIMER.replace(/\.timer$/, ".service")).toBe(GATE_UNIT);
    expect(value(timer, "Install", "WantedBy")).toBe("timers.target");
  });

  it("the server, the gate and the environment file agree on the data folder", () => {
    // Both units take it from the same variable, whose value in the environment file wins, so the
    // gate records (and reads locks) where the server and `queue list` look.
    expect(value(unit(SERVER_UNIT), "Service", "Environment")).toBe(`PATCHWARDEN_DATA_DIR=${LAYOUT.data}`);
    expect(value(unit(GATE_UNIT), "Service", "Environment")).toBe(`PATCHWARDEN_DATA_DIR=${LAYOUT.data}`);
    expect(value(unit(SERVER_UNIT), "Service", "WorkingDirectory")).toBe(LAYOUT.data);
    expect(value(unit(GATE_UNIT), "Service", "WorkingDirectory")).toBe(LAYOUT.data);
    expect(parseEnvFile(envText).get("PATCHWARDEN_DATA_DIR")).toBe(LAYOUT.data);
  });
});

describe("the environment file example", () => {
  it("never names the write token, nor does any unit", async () => {
    for (const name of [ENV_EXAMPLE, ...UNIT_FILES]) expect(await readDeploy(`systemd/${name}`), name).not.toContain("PATCHWARDEN_FORGEJO_WRITE_TOKEN");
  });

  it("documents every variable `patchwarden serve --help` lists, each under a comment", () => {
    const lines = envText.split("\n");
    for (const variable of Object.values(SETTINGS)) {
      const at = lines.findIndex((line) => line.startsWith(`${variable}=`));
      expect(at, `${variable} is assigned in ${ENV_EXAMPLE}`).toBeGreaterThan(0);
      expect(lines[at - 1], `${variable} has a comment above it`).toMatch(/^#/);
    }
    const env = parseEnvFile(envText);
    for (const variable of ["PATCHWARDEN_CONFIG", "PATCHWARDEN_RECEIPT_KEY", "PATCHWARDEN_GATE_TARGET"]) expect(env.has(variable), variable).toBe(true);
    // Nothing but PATCHWARDEN_* variables: anything else would reach node (NODE_OPTIONS…) unnoticed.
    for (const name of env.keys()) expect(name).toMatch(/^PATCHWARDEN_[A-Z_]+$/);
  });

  it("uses only plain NAME=value lines, which systemd and the operator's wrapper read alike", () => {
    for (const line of envText.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"))) {
      expect(line, "no quotes, spaces, `$` or backslashes").toMatch(/^[A-Z_]+=[^\s"'$\\]*$/);
    }
  });
});

describe("the units, checked by systemd-analyze", () => {
  let dir = "";
  beforeAll(async () => {
    const root = await tempDir("pw-verify-");
    dir = join(root, "units");
    await relocate(dir, { data: join(root, "data"), evidence: join(root, "evidence"), envFile: join(root, "patchwarden.env") });
  });

  /**
   * verify on these unit files (with `verify`'s need for an executable ExecStart met by the
   * relocated copies). Lines about other units are left out: they can only be about units of this
   * machine that ours pull in (network-online.target, timers.target), which are not ours to judge.
   */
  async function verify(files: string[]): Promise<{ code: number; ours: string[]; all: string }> {
    const result = await run(SYSTEMD_ANALYZE, ["verify", "--man=no", ...files]).then(
      (r) => ({ code: 0, output: r.stdout + r.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
    const ours = result.output.split("\n").filter((line) => line.trim() !== "" && (line.includes("patchwarden") || line.includes(dir)));
    return { code: result.code, ours, all: result.output };
  }

  it.skipIf(!haveSystemdAnalyze)("verify reports no warning or error for any of our units", async () => {
    const result = await verify(UNIT_FILES.map((name) => join(dir, name)));
    expect(result.ours, result.all).toEqual([]);
    // A failure must come from some other unit of this machine, shown in the message.
    if (result.code !== 0) expect(result.all.trim(), "verify failed without naming a unit").not.toBe("");
  });

  it.skipIf(!haveSystemdAnalyze)("verify does catch a broken unit (the check above is not vacuous)", async () => {
    const broken = join(dir, "broken", SERVER_UNIT);
    await mkdir(join(dir, "broken"), { recursive: true });
    await writeFile(broken, (await readFile(join(dir, SERVER_UNIT), "utf8")).replace(`ExecStart=${process.execPath}`, "ExecStart=/nonexistent/node").replace("[Service]", "[Service]\nProtectSytem=strict"));
    const result = await verify([broken]);
    expect(result.ours.join("\n")).toMatch(/Unknown key 'ProtectSytem'/);
    expect(result.ours.join("\n")).toMatch(/\/nonexistent\/node is not executable/);
  });

  it.skipIf(!haveSystemdAnalyze)("security --offline rates both services' exposure low", async () => {
    for (const [name, ceiling] of [[SERVER_UNIT, 2.0], [GATE_UNIT, 1.0]] as const) {
      const { stdout } = await run(SYSTEMD_ANALYZE, ["security", "--offline=true", "--no-pager", join(dir, name)]);
      const level = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(stdout);
      expect(level, stdout).not.toBeNull();
      expect(Number(level![1]), `${name}\n${stdout}`).toBeLessThanOrEqual(ceiling);
    }
  });
});

/** The bundle the examples judge at 12:00, moved so that its evidence is as fresh now as it was then. */
async function freshExampleBundle(): Promise<string> {
  const judgedAt = Date.parse("2026-11-21T12:00:00Z");
  const shift = Date.now() - judgedAt;
  const text = await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8");
  return text.replace(/"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"/g, (_, at: string) => `"${new Date(Date.parse(at) + shift).toISOString().replace(/\.\d{3}Z$/, "Z")}"`);
}

describe("the installed gate, run from its units on this machine", () => {
  let root = "";
  let data = "";
  let evidence = "";
  let envFile = "";
  let unitsDir = "";
  let server: ChildProcess | undefined;
  let serverUrl = "";
  let serverLog = "";
  const serverExit = { code: null as number | null, signal: null as NodeJS.Signals | null, done: Promise.resolve() };

  beforeAll(async () => {
    root = await tempDir("pw-install-");
    data = join(root, "var-lib-patchwarden");
    evidence = join(root, "var-lib-iskra-evidence");
    envFile = join(root, "patchwarden.env");
    unitsDir = join(root, "units");
    await relocate(unitsDir, { data, evidence, envFile });
    // What StateDirectory= and Iskra would have made.
    await mkdir(data, { recursive: true, mode: 0o750 });
    await mkdir(evidence, { recursive: true });
    await writeFile(join(evidence, "runtime-diagnostics.bundle.yaml"), await freshExampleBundle());
    const keys = join(root, "keys");
    await run(process.execPath, [join(REPO_ROOT, "dist/cli/main.js"), "receipts", "keygen", "--out", keys]);
    // The operator's edits of the example: a target for the hourly proposals, a signing key, and
    // (for this test only) a free port.
    const edited = (await readFile(join(unitsDir, ENV_EXAMPLE), "utf8"))
      .replace(/^PATCHWARDEN_GATE_TARGET=$/m, "PATCHWARDEN_GATE_TARGET=iskra/ops#68")
      .replace(/^PATCHWARDEN_RECEIPT_KEY=$/m, `PATCHWARDEN_RECEIPT_KEY=${keys}/receipt-signing.key`)
      .replace(/^PATCHWARDEN_LISTEN=.*$/m, "PATCHWARDEN_LISTEN=127.0.0.1:0");
    await writeFile(envFile, edited, { mode: 0o640 });
  });

  afterAll(async () => {
    if (server !== undefined && serverExit.code === null && serverExit.signal === null) server.kill("SIGKILL");
    await serverExit.done;
  });

  /** The process environment a unit gets: its Environment=, then the environment file over it (systemd's order). */
  async function unitEnvironment(service: Unit): Promise<Map<string, string>> {
    const env = new Map<string, string>();
    for (const assignment of values(service, "Service", "Environment")) {
      const eq = assignment.indexOf("=");
      env.set(assignment.slice(0, eq), assignment.slice(eq + 1));
    }
    const file = value(service, "Service", "EnvironmentFile")!;
    for (const [name, val] of parseEnvFile(await readFile(file, "utf8"))) env.set(name, val);
    return env;
  }

  const processEnv = (env: ReadonlyMap<string, string>) => ({ PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...Object.fromEntries(env) });

  it("the server starts from its unit with a generated webhook secret, answers /healthz and /metrics", async () => {
    const service = parseUnit(await readFile(join(unitsDir, SERVER_UNIT), "utf8"));
    const env = await unitEnvironment(service);
    const [command, ...args] = commandLine(value(service, "Service", "ExecStart")!, env);
    server = spawn(command!, args, { cwd: value(service, "Service", "WorkingDirectory")!, env: processEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    serverExit.done = new Promise((resolve) =>
      server!.once("exit", (code, signal) => {
        serverExit.code = code;
        serverExit.signal = signal;
        resolve();
      }),
    );
    serverUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 15 s:\n${serverLog}`)), 15_000);
      server!.stderr!.on("data", (chunk: Buffer) => {
        serverLog += chunk.toString();
        const started = serverLog.split("\n").find((line) => line.includes('"server.started"'));
        if (started !== undefined) {
          clearTimeout(timer);
          resolve((JSON.parse(started) as { url: string }).url);
        }
      });
      void serverExit.done.then(() => reject(new Error(`the server exited (${serverExit.code ?? serverExit.signal}):\n${serverLog}`)));
    });
    // First start with an empty PATCHWARDEN_WEBHOOK_SECRET: one is generated, readable by the service user only.
    // The server says so just after `server.started`, possibly in a later chunk of stderr.
    const secretFile = join(data, "webhook-secret");
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    for (let waited = 0; !serverLog.includes(`cat ${secretFile}`) && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(serverLog).toContain(`cat ${secretFile}`);
    const health = await fetch(`${serverUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe("ok");
    const metrics = await fetch(`${serverUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("patchwarden_deliveries_total");
  });

  it("the hourly gate's command line, beside the running server, exits with a verdict and leaves one proposal and a signed receipt", async () => {
    expect(serverUrl, "the server test above started it").not.toBe("");
    const service = parseUnit(await readFile(join(unitsDir, GATE_UNIT), "utf8"));
    const env = await unitEnvironment(service);
    const [command, ...args] = commandLine(value(service, "Service", "ExecStart")!, env);
    const result = await run(command!, args, { cwd: value(service, "Service", "WorkingDirectory")!, env: processEnv(env) }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    const success = [0, ...values(service, "Service", "SuccessExitStatus").flatMap((v) => v.split(/\s+/)).map(Number)];
    expect(success, `exit ${result.code}\n${result.stderr}`).toContain(result.code);
    // Fresh evidence for read-only diagnostics: eligible for a dry run, and nothing else is claimed.
    expect(JSON.parse(result.stdout).verdict, result.stderr).toBe("eligible_repair_dry_run");
    expect(result.code).toBe(0);

    const proposals = (await readdir(join(data, "queue", "proposals"))).filter((name) => name.endsWith(".json"));
    expect(proposals).toHaveLength(1);
    const proposal = JSON.parse(await readFile(join(data, "queue", "proposals", proposals[0]!), "utf8")) as { state: string; target: unknown };
    expect(proposal.state).toBe("pending");
    expect(JSON.stringify(proposal.target)).toContain("iskra/ops");
    const receipts = (await readFile(join(data, "receipts", "receipts.jsonl"), "utf8")).split("\n").filter((line) => line !== "");
    expect(receipts.length).toBeGreaterThanOrEqual(1);
    const parsed = receipts.map((line) => JSON.parse(line) as { kind: string; actor: string; sig?: string });
    expect(parsed.map((receipt) => receipt.kind)).toContain("verdict");
    // Signed with the key the environment file names, and recorded as the gate's own work.
    for (const receipt of parsed) expect(receipt).toMatchObject({ actor: "patchwarden", sig: expect.any(String) });
  });

  it("the hourly gate with no target configured fails (exit 2, a failure for systemd) and says what is missing", async () => {
    const service = parseUnit(await readFile(join(unitsDir, GATE_UNIT), "utf8"));
    const env = await unitEnvironment(service);
    env.set("PATCHWARDEN_GATE_TARGET", "");
    const [command, ...args] = commandLine(value(service, "Service", "ExecStart")!, env);
    const failed = await run(command!, args, { cwd: data, env: processEnv(env) }).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failed ? failed.code : 0).toBe(2);
    expect("stderr" in failed ? failed.stderr : "").toContain("--propose");
    expect(values(service, "Service", "SuccessExitStatus").join(" ").split(/\s+/)).not.toContain("2");
  });

  it("the operator's wrapper reads the environment file: the gate's proposal is listed and the signed receipts verify", async () => {
    const wrapper = join(unitsDir, "patchwarden");
    // The wrapper refuses root, on purpose; this test may run as root, so it says it knows.
    const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...(isRoot ? { PATCHWARDEN_ALLOW_ROOT: "1" } : {}) };
    const listed = await run(wrapper, ["queue", "list", "--json"], { cwd: root, env });
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(1);
    // Under sudo the operator who ran it is the actor, not the service user.
    const id = (JSON.parse(listed.stdout) as Array<{ id: string }>)[0]!.id;
    await run(wrapper, ["queue", "reject", id, "--reason", "checked by the deploy test"], { cwd: root, env: { ...env, USER: "patchwarden", SUDO_USER: "alice" } });
    const last = (await readFile(join(data, "receipts", "receipts.jsonl"), "utf8")).trimEnd().split("\n").at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ kind: "proposal.rejected", actor: "alice", proposal_id: id });
    const verified = await run(wrapper, ["receipts", "verify", "--public-key", join(root, "keys", "receipt-signing.pub")], { cwd: root, env });
    expect(verified.stdout).toMatch(/intact: \d+ receipt\(s\)/);
    // A variable the caller set wins over the file's: here an empty data folder.
    const elsewhere = await tempDir("pw-elsewhere-");
    const other = await run(wrapper, ["queue", "list", "--json"], { cwd: root, env: { ...env, PATCHWARDEN_DATA_DIR: elsewhere } });
    expect(JSON.parse(other.stdout)).toEqual([]);
  });

  // Only root is refused; as any other user there is nothing to check.
  it.skipIf(!isRoot)("the operator's wrapper refuses to run as root, saying how to run it", async () => {
    const refused = await run(join(unitsDir, "patchwarden"), ["queue", "list"], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } }).catch((error: { code: number; stderr: string }) => error);
    expect("code" in refused ? refused.code : 0).toBe(2);
    expect("stderr" in refused ? refused.stderr : "").toContain("sudo -u patchwarden patchwarden queue list");
  });

  it("the operator's wrapper refuses to run without the environment file rather than on ./data", async () => {
    const moved = `${envFile}.away`;
    await rename(envFile, moved);
    try {
      const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...(isRoot ? { PATCHWARDEN_ALLOW_ROOT: "1" } : {}) };
      const refused = await run(join(unitsDir, "patchwarden"), ["queue", "list"], { cwd: root, env }).catch((error: { code: number; stderr: string }) => error);
      expect("code" in refused ? refused.code : 0).toBe(2);
      expect("stderr" in refused ? refused.stderr : "").toContain(`patchwarden: ${envFile}: no such file`);
    } finally {
      await rename(moved, envFile);
    }
  });

  it("the server stops cleanly on its unit's KillSignal and releases the data folder", async () => {
    expect(server, "the server test above started it").toBeDefined();
    const signal = value(parseUnit(await readFile(join(unitsDir, SERVER_UNIT), "utf8")), "Service", "KillSignal") as NodeJS.Signals;
    server!.kill(signal);
    await serverExit.done;
    expect({ code: serverExit.code, signal: serverExit.signal }, serverLog).toEqual({ code: 0, signal: null });
    expect(existsSync(join(data, "inbox", "server.pid"))).toBe(false);
    expect(serverLog).toContain('"server.stopping"');
  });
});
