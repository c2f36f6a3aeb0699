import { hostname } from "node:os";
import { resolve } from "node:path";
import picomatch from "picomatch/posix.js";
import { formatDiagnostic, quote } from "../../diagnostics/diagnostic.js";
import { GLOB_OPTIONS, ignoreGlobProblem } from "../../drift/drift-policy-schema.js";
import { buildManifest, serializeManifest } from "../../drift/manifest.js";
import { MAX_IGNORE_GLOB_LENGTH, MAX_IGNORE_GLOBS } from "../../drift/manifest-schema.js";
import { manifestHostProblem, MAX_PATH_LENGTH } from "../../drift/manifest-path.js";
import { scanTree } from "../../drift/scan-tree.js";
import { formatIsoTime } from "../../time/iso-time.js";
import type { Command, CommandContext } from "../command.js";
import { ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { stringOption } from "../options.js";
import { echo } from "../user-paths.js";
import { packageVersion } from "../version.js";
import { outPath, realPathOrNull, writeDestination, writeOutput } from "./drift-output.js";

/** Past this many, the operator has a tree problem to fix, not a list to read. */
const MAX_PROBLEMS_SHOWN = 50;

export const driftManifest: Command = {
  name: "drift manifest",
  summary: "record a tree's files (path, sha256, size, mode) as a deploy manifest (read-only)",
  usage: "patchwarden drift manifest DIR [--out FILE] [--ignore GLOB]... [--host LABEL]",
  help: `Records every file and symlink under DIR as a patchwarden.deploy_manifest.v1: its path
(relative, \`/\`-separated), sha256, size and mode. Symlinks are recorded as links and never
followed. Entries are sorted by the UTF-8 bytes of their paths, and the manifest's digest covers
the files only, so the same tree always gives the same digest.

Read-only: nothing under DIR is written. Run the same command, with the same --ignore globs, on
the Iskra host to get the remote manifest, e.g.
  ssh iskra patchwarden drift manifest /opt/iskra-openclaw --ignore .git --host iskra > remote.json
The installed wrapper runs this command for any login, root included (it reads no setting and
nothing in the data folder); log in as a user who may read the whole tree.
Patchwarden itself opens no SSH or network connection.

  DIR            the folder to record
  --out FILE     write the manifest to FILE (default: stdout); FILE must be outside DIR
  --ignore GLOB  skip paths matching GLOB (relative to DIR, e.g. \`.git\`, \`**/*.log\`);
                 repeat for more. A skipped folder is not entered (\`node_modules\`, with no
                 trailing \`/\`), and a skipped name is not checked (\`**/Icon?\` skips macOS's
                 \`Icon\\r\`). Use the same globs on both sides.
  --host LABEL   the machine's label in the manifest (default: this machine's hostname)

Refused, with every problem listed (exit 2): names that are not valid UTF-8 or hold control
characters, unreadable files or folders, FIFOs, sockets and devices, and any file, link or
folder that changes while the tree is scanned (scan again when it is quiet).`,
  options: {
    out: { type: "string" },
    ignore: { type: "string", multiple: true },
    host: { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    // resolve() would read "" as the working folder, which is seldom the tree meant.
    if (context.positionals[0] === "") throw new UsageError("DIR: an empty argument names no folder; give the folder to record, e.g. `/opt/iskra-openclaw`, or `.` for the working folder");
    const root = resolve(context.io.cwd, context.positionals[0]!);
    const ignore = ignoreGlobs(context.values["ignore"]);
    const host = stringOption(context, "host") ?? hostname();
    if (host.length === 0 || host.length > 253) throw new UsageError(`--host: ${quote(host)} is not a host label; give 1 to 253 characters, e.g. \`--host iskra\``);
    const hostProblem = manifestHostProblem(host);
    if (hostProblem !== null) throw new UsageError(`--host: ${hostProblem}`);
    await refuseOutInside(context, root);
    const matchers = ignore.map((glob) => picomatch(glob, GLOB_OPTIONS));
    const scan = await scanTree(root, { ignore: (path) => matchers.some((matches) => matches(path)) });
    if (scan.problems.length > 0) {
      const shown = scan.problems.slice(0, MAX_PROBLEMS_SHOWN).map((d) => `  ${formatDiagnostic(d)}`);
      if (scan.problems.length > MAX_PROBLEMS_SHOWN) shown.push(`  and ${scan.problems.length - MAX_PROBLEMS_SHOWN} more`);
      throw new ConfigError(`cannot record ${echo(root)} faithfully, so no manifest was written:\n${shown.join("\n")}`);
    }
    const manifest = buildManifest(scan.entries, {
      generatedAt: formatIsoTime(context.io.now()),
      host,
      root,
      ignore,
      generator: { name: "patchwarden", version: packageVersion() },
    });
    const written = await writeOutput(context, serializeManifest(manifest));
    if (written !== null) context.io.stderr(`recorded ${manifest.files.length} file(s) under ${echo(root)} in ${echo(written)} (${manifest.digest})\n`);
    return EXIT.ok;
  },
};

/**
 * The scan is read-only, and a manifest written into the tree it records would describe its own
 * earlier self on the next run. Compared as written and by real paths, so a symlinked folder on
 * either side cannot hide it.
 */
async function refuseOutInside(context: CommandContext, root: string): Promise<void> {
  const out = outPath(context);
  if (out === null) return;
  const realRoot = await realPathOrNull(root);
  if (isWithin(root, out) || (realRoot !== null && isWithin(realRoot, await writeDestination(out)))) {
    throw new UsageError(`--out: ${quote(out, MAX_PATH_LENGTH)} is inside the folder being recorded (${quote(root, MAX_PATH_LENGTH)}); write the manifest outside it, the scan is read-only`);
  }
}

function isWithin(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder.endsWith("/") ? folder : `${folder}/`);
}

function ignoreGlobs(value: unknown): string[] {
  const globs = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  // The manifest's reader refuses what is past these bounds, so refuse it here, before the scan.
  if (globs.length > MAX_IGNORE_GLOBS) throw new UsageError(`--ignore: ${globs.length} globs is more than a manifest records (${MAX_IGNORE_GLOBS}); ignore whole folders with \`dir/**\` instead`);
  for (const glob of globs) {
    const problem = glob.length === 0 ? "an empty glob matches nothing; remove it" : glob.length > MAX_IGNORE_GLOB_LENGTH ? `${quote(glob, 40)} is longer than ${MAX_IGNORE_GLOB_LENGTH} characters; shorten it` : ignoreGlobProblem(glob);
    if (problem !== null) throw new UsageError(`--ignore: ${problem}`);
  }
  return globs;
}
