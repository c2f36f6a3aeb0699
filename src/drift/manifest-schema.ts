import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { isoTime } from "../evidence/bundle-schema.js";
import { linkTextProblem, manifestHostProblem, manifestPathProblem, manifestRootProblem, MAX_PATH_LENGTH } from "./manifest-path.js";

export const MANIFEST_SCHEMA_ID = "patchwarden.deploy_manifest.v1";

/**
 * Manifest files are read whole. A 100,000-file tree with paths of 100 characters writes a
 * manifest of 24 MiB (one entry per line, see `serializeManifest`; test/drift/manifest.test.ts
 * measures it); the limit leaves room for longer paths and still refuses a file that could only
 * be an accident or an attack.
 */
export const MAX_MANIFEST_BYTES = 40 * 1024 * 1024;
/** Bounds of a manifest's `ignore` list, which `drift manifest --ignore` checks before it scans. */
export const MAX_IGNORE_GLOBS = 1000;
export const MAX_IGNORE_GLOB_LENGTH = 500;

/** Digests in manifests are always `sha256:<64 lowercase hex>`: one spelling, so they compare as strings. */
export const manifestDigestText = z.string().regex(/^sha256:[0-9a-f]{64}$/, {
  error: (issue) => `${quote(issue.input)} is not a digest; write \`sha256:\` followed by 64 lowercase hex digits`,
});

export const manifestPath = z.string().superRefine((path, ctx) => {
  const problem = manifestPathProblem(path);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

/** POSIX permission bits, including setuid, setgid and sticky, as four octal digits. */
export const fileMode = z.string().regex(/^[0-7]{4}$/, {
  error: (issue) => `${quote(issue.input)} is not a file mode; write four octal digits like \`0644\` or \`0755\``,
});

/** Shown in every plan's summary and markdown: plain text, so it cannot forge lines or display as another name. */
export const manifestHost = z
  .string()
  .min(1)
  .max(253)
  .superRefine((host, ctx) => {
    const problem = manifestHostProblem(host);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

export const manifestRoot = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .superRefine((root, ctx) => {
    const problem = manifestRootProblem(root);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const linkTarget = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .superRefine((target, ctx) => {
    const problem = linkTextProblem(target);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

const fileEntry = z.strictObject({
  path: manifestPath,
  type: z.literal("file"),
  sha256: manifestDigestText.describe("sha256 of the file's contents"),
  size: size.describe("bytes"),
  mode: fileMode,
});

const symlinkEntry = z.strictObject({
  path: manifestPath,
  type: z.literal("symlink"),
  target: linkTarget.describe("the link's text, as readlink gives it; never followed"),
  sha256: manifestDigestText.describe("sha256 of the link's text, so links compare like files"),
  size: size.describe("bytes of the link's text"),
  mode: fileMode,
});

export const manifestEntrySchema = z.discriminatedUnion("type", [fileEntry, symlinkEntry], {
  error: (issue) => (issue.code === "invalid_union" ? "`type` must be `file` or `symlink`; folders are implied by paths, and other kinds of file are refused" : undefined),
});

const manifestHeader = {
  schema: z.literal(MANIFEST_SCHEMA_ID),
  generated_at: isoTime.describe("when the tree was scanned"),
  host: manifestHost.describe("a label for the machine the tree was scanned on"),
  root: manifestRoot.describe("the scanned folder, as an absolute path on that machine"),
  ignore: z.array(z.string().min(1).max(MAX_IGNORE_GLOB_LENGTH)).max(MAX_IGNORE_GLOBS).describe("the --ignore globs the scan skipped"),
  generator: z.strictObject({ name: z.string().min(1).max(200), version: z.string().min(1).max(100) }),
  digest: manifestDigestText.describe("sha256 of the canonical JSON of `files`; the time, root and host are not part of it"),
};

export const manifestSchema = z.strictObject({ ...manifestHeader, files: z.array(manifestEntrySchema) });
/** Everything but the entries, for the fast path of read-manifest.ts. */
export const manifestHeaderSchema = z.strictObject(manifestHeader);

export type ManifestEntry = z.output<typeof manifestEntrySchema>;
export type FileEntry = z.output<typeof fileEntry>;
export type SymlinkEntry = z.output<typeof symlinkEntry>;
export type Manifest = z.output<typeof manifestSchema>;
