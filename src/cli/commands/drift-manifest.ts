import { hostname } from "node:os";
import { resolve } from "node:path";
import picomatch from "picomatch/posix.js";
import { formatDiagnostic } from "../../diagnostics/diagnostic.js";
import { GLOB_OPTIONS, globProblem } from "../../drift/drift-policy-schema.js";
import { buildManifest, serializeManifest } from "../../drift/manifest.js";
import { MAX_IGNORE_GLOB_LENGTH, MAX_IGNORE_GLOBS } from "../../drift/manifest-schema.js";
import { manifestHostProblem } from "../../drift/manifest-path.js";
import { scanTree } from "../../drift/scan-tree.js";
import { formatIsoTime } from "../../time/iso-time.js";
import type { Command } from "../command.js";
import { ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { stringOption } from "../options.js";
import { packageVersion } from "../version.js";
import { writeOutput } from "./drift-output.js";

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

Read-only: nothing under DIR is written. Run the same command on the Iskra host to get the remote
manifest (e.g. \`ssh iskra patchwarden drift manifest /opt/iskra-openclaw > remote.json\`);
Patchwarden itself opens no SSH or network connection.

  DIR            the folder to record
  --out FILE     write the manifest to FILE (default: stdout)
  --ignore GLOB  skip paths matching GLOB (relative to DIR, e.g. \`.git\`, \`**/*.log\`);
                 repeat for more. A skipped folder is not entered. Use the same globs on both sides.
  --host LABEL   the machine's label in the manifest (default: this machine's hostname)

Refused, with every problem listed (exit 2): names that are not valid UTF-8, unreadable files or
folders, FIFOs, sockets and devices, files that change while they are read.`,
  options: {
    out: { type: "string" },
    ignore: { type: "string", multiple: true },
    host: { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const root = resolve(context.io.cwd, context.positionals[0]!);
    const ignore = ignoreGlobs(context.values["ignore"]);
    const host = stringOption(context, "host") ?? hostname();
    if (host.length === 0 || host.length > 253) throw new UsageError(`--host: \`${host}\` is not a host label; give 1 to 253 characters, e.g. \`--host iskra\``);
    const hostProblem = manifestHostProblem(host);
    if (hostProblem !== null) throw new UsageError(`--host: ${hostProblem}`);
    const matchers = ignore.map((glob) => picomatch(glob, GLOB_OPTIONS));
    const scan = await scanTree(root, { ignore: (path) => matchers.some((matches) => matches(path)) });
    if (scan.problems.length > 0) {
      const shown = scan.problems.slice(0, MAX_PROBLEMS_SHOWN).map((d) => `  ${formatDiagnostic(d)}`);
      if (scan.problems.length > MAX_PROBLEMS_SHOWN) shown.push(`  and ${scan.problems.length - MAX_PROBLEMS_SHOWN} more`);
      throw new ConfigError(`cannot record \`${root}\` faithfully, so no manifest was written:\n${shown.join("\n")}`);
    }
    const manifest = buildManifest(scan.entries, {
      generatedAt: formatIsoTime(context.io.now()),
      host,
      root,
      ignore,
      generator: { name: "patchwarden", version: packageVersion() },
    });
    const written = await writeOutput(context, serializeManifest(manifest));
    if (written !== null) context.io.stderr(`recorded ${manifest.files.length} file(s) under \`${root}\` in \`${written}\` (${manifest.digest})\n`);
    return EXIT.ok;
  },
};

function ignoreGlobs(value: unknown): string[] {
  const globs = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  // The manifest's reader refuses what is past these bounds, so refuse it here, before the scan.
  if (globs.length > MAX_IGNORE_GLOBS) throw new UsageError(`--ignore: ${globs.length} globs is more than a manifest records (${MAX_IGNORE_GLOBS}); ignore whole folders with \`dir/**\` instead`);
  for (const glob of globs) {
    const problem = glob.length === 0 ? "an empty glob matches nothing; remove it" : glob.length > MAX_IGNORE_GLOB_LENGTH ? `\`${glob.slice(0, 40)}…\` is longer than ${MAX_IGNORE_GLOB_LENGTH} characters; shorten it` : globProblem(glob);
    if (problem !== null) throw new UsageError(`--ignore: ${problem}`);
  }
  return globs;
}
