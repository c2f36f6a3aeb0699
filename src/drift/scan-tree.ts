import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { describeFsError } from "../fsutil/read-bounded.js";
import { octalMode, unreadable, type HashedFile } from "./hash-file.js";
import { hashInline, hashingThreadsAvailable, HashPool } from "./hash-pool.js";
import { BIDI_CONTROL, CONTROL, manifestRootProblem } from "./manifest-path.js";
import type { ManifestEntry } from "./manifest-schema.js";

export interface ScanOptions {
  /**
   * True for a relative path (file, link or folder) the scan must skip; a skipped folder is not
   * entered. Asked before the name is checked, so a skipped name is never refused; invalid UTF-8
   * in a name arrives as U+FFFD.
   */
  ignore: (relativePath: string) => boolean;
  /** Hashing threads; default: one per core, at most 4. 0 hashes on the calling thread. */
  threads?: number;
}

export interface ScanResult {
  entries: ManifestEntry[];
  /** Each names the absolute path it is about; any problem means the tree cannot be recorded faithfully. */
  problems: Diagnostic[];
}

const MAX_THREADS = 4;
/** Until this many files are found, the tree is hashed inline: starting threads would cost more than it saves. */
const INLINE_FILE_LIMIT = 64;

/**
 * Walks `root` and records every file and symlink under it. With hash-file.ts (which the
 * hashing threads of hash-pool.ts run), the only file-system I/O of the drift lane, and read-only: files are opened
 * for reading, symlinks are read with readlink and never followed, nothing is written. Folders
 * are implied by the paths of what they hold.
 *
 * A tree that cannot be recorded faithfully gives problems, not a partial manifest: an
 * unreadable file or folder, a name that is not valid UTF-8, a FIFO, socket or device, a file
 * that changed while it was read.
 */
export async function scanTree(root: string, options: ScanOptions): Promise<ScanResult> {
  const problems: Diagnostic[] = [];
  // The root is recorded in the manifest and shown in every plan: a manifest reader would refuse it.
  const rootProblem = manifestRootProblem(root);
  if (rootProblem !== null) return { entries: [], problems: [{ path: "DIR", message: rootProblem }] };
  try {
    const info = await stat(root);
    if (!info.isDirectory()) return { entries: [], problems: [{ path: root, message: "is not a folder; give the folder to record" }] };
  } catch (error) {
    return { entries: [], problems: [{ path: root, message: `cannot be read (${describeFsError(error)}); give a folder this user may read` }] };
  }
  // Paths are joined by hand (`${base}/${path}`): path.join would normalise away what we check.
  const base = root.replace(/\/+$/, "");
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_THREADS);
  const files = new FileSink(base, threads > 0 && hashingThreadsAvailable() ? threads : 0);
  const links: string[] = [];
  const folders = new Map<string, FolderIdentity>();
  await walk(base, options.ignore, files, links, folders, problems);
  const entries: ManifestEntry[] = [];
  for (const path of links) {
    const entry = await recordLink(base, path, problems);
    if (entry !== null) entries.push(entry);
  }
  for (const hashed of await files.finish()) {
    if (hashed.ok) entries.push(hashed.entry);
    else problems.push(hashed.problem);
  }
  problems.push(...(await foldersReplaced(folders)));
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, problems };
}

/** A folder as the walk found it; the same path naming another inode later means it was replaced. */
type FolderIdentity = { dev: bigint; ino: bigint; root: boolean };

const REPLACED = "was replaced while the tree was scanned (by a symlink or another folder), so what was recorded under it may lie outside the tree; scan again when the tree is quiet";

async function walk(base: string, ignore: (path: string) => boolean, files: FileSink, links: string[], seen: Map<string, FolderIdentity>, problems: Diagnostic[]): Promise<void> {
  const folders: string[] = [""];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    const absolute = folder === "" ? base || "/" : `${base}/${folder}`;
    let dirents;
    try {
      // readdir follows a symlink: a folder listed as a folder but a link by now is refused, and
      // its identity is checked again once the scan is done (foldersReplaced).
      // The root may be a link the operator named (`/opt/iskra-openclaw/current`); below it, none is followed.
      const info = folder === "" ? await stat(absolute, { bigint: true }) : await lstat(absolute, { bigint: true });
      if (!info.isDirectory()) {
        problems.push({ path: absolute, message: REPLACED });
        continue;
      }
      seen.set(absolute, { dev: info.dev, ino: info.ino, root: folder === "" });
      dirents = await readdir(absolute, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      problems.push({ path: absolute, message: unreadable(error, "cannot list this folder") });
      continue;
    }
    for (const dirent of dirents) {
      // Names are read as bytes: a string readdir would quietly turn invalid UTF-8 into U+FFFD.
      // The ignore test sees that U+FFFD, and comes first: what the operator skips (macOS
      // `Icon\r`) is theirs to skip, and is never judged, recorded or shown.
      const name = dirent.name.toString("utf8");
      const path = folder === "" ? name : `${folder}/${name}`;
      if (ignore(path)) continue;
      if (!isUtf8(dirent.name)) {
        problems.push({ path: absolute, message: `holds a name that is not valid UTF-8 (${quote(escapeBytes(dirent.name))}); rename it to UTF-8, a manifest records every path as UTF-8 text` });
        continue;
      }
      if (CONTROL.test(name)) {
        problems.push({ path: absolute, message: `holds a name with a control character or line break (${quote(escapeBytes(dirent.name))}); rename it, no deploy needs one and it would forge lines in the plan` });
        continue;
      }
      if (BIDI_CONTROL.test(name)) {
        problems.push({ path: absolute, message: `holds a name with a bidirectional control character (${quote(escapeBytes(dirent.name))}); rename it, no deploy needs one and it would display as another name in the plan` });
        continue;
      }
      if (dirent.isDirectory()) folders.push(path);
      else if (dirent.isFile()) files.add(path);
      else if (dirent.isSymbolicLink()) links.push(path);
      else problems.push({ path: `${base}/${path}`, message: `is a ${specialKind(dirent)}; a deploy tree holds only files, folders and symlinks, so remove it or --ignore it` });
    }
  }
}

/**
 * Node has no openat, so files are opened by path, and a folder swapped for a link after it was
 * listed would lead the reads outside the tree. Every folder must still be the one the walk
 * listed once the files are hashed; a swap that was undone within the scan is not caught.
 */
async function foldersReplaced(seen: ReadonlyMap<string, FolderIdentity>): Promise<Diagnostic[]> {
  const problems: Diagnostic[] = [];
  for (const [absolute, identity] of seen) {
    try {
      const info = identity.root ? await stat(absolute, { bigint: true }) : await lstat(absolute, { bigint: true });
      if (info.isDirectory() && info.dev === identity.dev && info.ino === identity.ino) continue;
    } catch {
      // Gone is replaced too.
    }
    problems.push({ path: absolute, message: REPLACED });
  }
  return problems;
}

const NO_LONGER_A_LINK = "was replaced by a file or folder while the tree was scanned; scan again when the tree is quiet";

async function recordLink(base: string, path: string, problems: Diagnostic[]): Promise<ManifestEntry | null> {
  const absolute = `${base}/${path}`;
  try {
    const [info, text] = await Promise.all([lstat(absolute), readlink(absolute, { encoding: "buffer" })]);
    if (!info.isSymbolicLink()) {
      problems.push({ path: absolute, message: NO_LONGER_A_LINK });
      return null;
    }
    if (!isUtf8(text)) {
      problems.push({ path: absolute, message: `is a symlink whose target is not valid UTF-8 (${quote(escapeBytes(text))}); point it at a UTF-8 path` });
      return null;
    }
    const decoded = text.toString("utf8");
    if (CONTROL.test(decoded)) {
      problems.push({ path: absolute, message: `is a symlink whose target holds a control character or line break (${quote(escapeBytes(text))}); point it at a plain path` });
      return null;
    }
    if (BIDI_CONTROL.test(decoded)) {
      problems.push({ path: absolute, message: `is a symlink whose target holds a bidirectional control character (${quote(escapeBytes(text))}); point it at a plain path` });
      return null;
    }
    return { path, type: "symlink", target: decoded, sha256: `sha256:${createHash("sha256").update(text).digest("hex")}`, size: text.byteLength, mode: octalMode(info.mode) };
  } catch (error) {
    // readlink of what is no longer a link fails with EINVAL.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    problems.push({ path: absolute, message: code === "EINVAL" ? NO_LONGER_A_LINK : unreadable(error, "cannot read this symlink") });
    return null;
  }
}

/**
 * Where the walk puts the files it finds: the first few are kept, and once there are enough to
 * be worth it, hashing threads start and take them while the walk goes on.
 */
class FileSink {
  private readonly pending: string[] = [];
  private pool: HashPool | null = null;

  constructor(
    private readonly base: string,
    private readonly threads: number,
  ) {}

  add(path: string): void {
    if (this.pool !== null) return this.pool.add(path);
    this.pending.push(path);
    if (this.threads > 0 && this.pending.length >= INLINE_FILE_LIMIT) {
      this.pool = new HashPool(this.base, this.threads);
      for (const queued of this.pending.splice(0)) this.pool.add(queued);
    }
  }

  async finish(): Promise<HashedFile[]> {
    return this.pool !== null ? this.pool.finish() : hashInline(this.base, this.pending);
  }
}

function specialKind(dirent: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (dirent.isFIFO()) return "FIFO";
  if (dirent.isSocket()) return "socket";
  if (dirent.isBlockDevice()) return "block device";
  if (dirent.isCharacterDevice()) return "character device";
  return "file of unknown kind";
}

/** A name as text a terminal can show: printable ASCII kept, every other byte (and `\`) as `\xNN`. */
function escapeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`;
  return out;
}
