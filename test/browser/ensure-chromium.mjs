#!/usr/bin/env node
// `npm test`'s pretest: the browser tests drive Debian's chromium, so install it when it is missing.
// PATCHWARDEN_CHROMIUM names another Chromium binary (e.g. on a machine without apt) and skips the install.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

const DEFAULT = "/usr/bin/chromium";
const configured = process.env.PATCHWARDEN_CHROMIUM;
const executable = configured !== undefined && configured !== "" ? configured : DEFAULT;

if (isExecutable(executable)) process.exit(0);
if (executable !== DEFAULT) fail(`PATCHWARDEN_CHROMIUM: \`${executable}\` is not an executable file; point it at a Chromium binary or unset it to use Debian's ${DEFAULT}`);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = onPath("apt-get");
const hasSudo = !isRoot && onPath("sudo");
if (!hasApt || (!isRoot && !hasSudo)) {
  fail(
    `${DEFAULT}: missing; the browser tests need Debian's chromium. Install it as root:\n\n    apt-get update && apt-get install -y chromium\n\n` +
      "or set PATCHWARDEN_CHROMIUM to the path of a Chromium binary.",
  );
}

process.stderr.write(`pretest: ${DEFAULT} is missing; installing Debian's chromium with apt-get${isRoot ? "" : " (through sudo)"}\n`);
const prefix = isRoot ? [] : ["sudo"];
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]]) {
  const [command, ...rest] = [...prefix, ...args];
  const result = spawnSync(command, rest, { stdio: "inherit", env });
  if (result.status !== 0) fail(`\`${[...prefix, ...args].join(" ")}\` failed (exit ${result.status ?? result.signal}); install chromium by hand and run the tests again`);
}
if (!isExecutable(DEFAULT)) fail(`${DEFAULT}: still missing after installing the chromium package; check what apt installed`);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function fail(message) {
  process.stderr.write(`pretest: ${message}\n`);
  process.exit(1);
}
