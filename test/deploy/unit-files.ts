import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths.js";

export const DEPLOY = join(REPO_ROOT, "deploy");
export const SERVER_UNIT = "patchwarden.service";
export const GATE_UNIT = "patchwarden-runtime-repair-gate.service";
export const GATE_TIMER = "patchwarden-runtime-repair-gate.timer";
export const ENV_EXAMPLE = "patchwarden.env.example";
export const UNIT_FILES = [SERVER_UNIT, GATE_UNIT, GATE_TIMER] as const;

/** The install layout the units and docs/operations/install.md name. */
export const LAYOUT = {
  node: "/usr/bin/node",
  code: "/opt/patchwarden",
  envFile: "/etc/patchwarden/patchwarden.env",
  data: "/var/lib/patchwarden",
  evidence: "/var/lib/iskra/evidence",
} as const;

/** A unit file as systemd reads it: sections of assignments, in order (a key may repeat). */
export type Unit = Map<string, Array<[key: string, value: string]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Array<[string, string]> | undefined;
  // A trailing backslash continues the line (systemd.syntax(7)).
  const lines = text.replace(/\\\n/g, " ").split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      section = [];
      unit.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf("=");
    if (section === undefined || eq <= 0) throw new Error(`line ${index + 1}: \`${line}\` is neither a section nor an assignment`);
    section.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** Every value given to a key, in order ([] when absent). */
export function values(unit: Unit, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}

/** The value that takes effect for a single-valued key: the last one. */
export function value(unit: Unit, section: string, key: string): string | undefined {
  return values(unit, section, key).at(-1);
}

/** An environment file as systemd reads the plain `NAME=value` lines the example restricts itself to. */
export function parseEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    env.set(line.slice(0, eq), line.slice(eq + 1).replace(/^"(.*)"$|^'(.*)'$/, "$1$2"));
  }
  return env;
}

/**
 * ExecStart= split as systemd does for a line without quotes: words on whitespace, `${NAME}` replaced
 * by the variable's value as one word (empty when unset). The units use no quoting or bare `$NAME`.
 */
export function commandLine(execStart: string, env: ReadonlyMap<string, string>): string[] {
  if (/["'\\]/.test(execStart) || /\$(?!\{)/.test(execStart)) throw new Error(`\`${execStart}\` uses quoting or a bare \`$NAME\`, which this test does not expand like systemd`);
  return execStart.split(/\s+/).map((word) => word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env.get(name) ?? ""));
}

export async function readDeploy(relative: string): Promise<string> {
  return readFile(join(DEPLOY, relative), "utf8");
}

export interface Relocation {
  data: string;
  evidence: string;
  envFile: string;
}

/**
 * The deploy files with the install layout moved onto this machine: node is the running one, the
 * code is this checkout (its built dist/), and the data, evidence and environment file are in
 * temporary folders. Written into `dir` under their own names.
 */
export async function relocate(dir: string, to: Relocation): Promise<void> {
  const replace = (text: string) =>
    text
      .replaceAll(LAYOUT.node, process.execPath)
      .replaceAll(LAYOUT.code, REPO_ROOT.replace(/\/$/, ""))
      .replaceAll(LAYOUT.envFile, to.envFile)
      .replaceAll(LAYOUT.data, to.data)
      .replaceAll(LAYOUT.evidence, to.evidence);
  await mkdir(dir, { recursive: true });
  for (const name of [...UNIT_FILES, ENV_EXAMPLE]) await writeFile(join(dir, name), replace(await readDeploy(`systemd/${name}`)));
  await writeFile(join(dir, "patchwarden"), replace(await readDeploy("bin/patchwarden")), { mode: 0o755 });
}
