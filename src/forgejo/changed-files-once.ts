import type { ChangedFile } from "./api-schemas.js";
import type { ForgejoReader } from "./reader.js";

/**
 * A reader for one job that asks Forgejo for a pull request's or a push's changed files once,
 * though two steps filter them (evidence bundles, then policy what-ifs). A listing that failed
 * fails both alike, and each step says so on its own proposal. Everything else is the reader itself.
 */
export function changedFilesOnce(reader: ForgejoReader): ForgejoReader {
  const asked = new Map<string, Promise<ChangedFile[]>>();
  const once = (key: string, read: () => Promise<ChangedFile[]>) => {
    let files = asked.get(key);
    if (files === undefined) {
      files = read();
      asked.set(key, files);
    }
    return files;
  };
  const view = Object.create(reader) as ForgejoReader;
  view.pullFiles = (repo, number) => once(`pull\u0000${repo}\u0000${number}`, () => reader.pullFiles(repo, number));
  view.compareFiles = (repo, base, head) => once(`compare\u0000${repo}\u0000${base}\u0000${head}`, () => reader.compareFiles(repo, base, head));
  return view;
}

/**
 * A deletion in either of Forgejo's words: a pull request's files say `deleted`
 * (convert.ToChangedFile), a compare's per-commit files say `removed`.
 */
function isDeletion(file: ChangedFile): boolean {
  return file.status === "deleted" || file.status === "removed";
}

/** The changed paths that match, as far as they may be at the head, and which of them were also deleted. */
export interface ChangedPaths {
  paths: string[];
  /** A 404 at the head for one of these means it is gone, not that it could not be read. */
  deletedToo: ReadonlySet<string>;
}

/**
 * A compare lists every commit's files, so one path can be added in one commit and removed in
 * another. Which came last is not read from the list's order: any addition or modification keeps
 * the path (a present file is never skipped), and a path that was deleted too may turn out to be
 * gone at the head, which the reader then learns from a 404.
 */
export function changedPaths(files: readonly ChangedFile[], matches: (path: string) => boolean): ChangedPaths {
  const paths = new Set<string>();
  const deleted = new Set<string>();
  for (const file of files) {
    if (!matches(file.filename)) continue;
    if (isDeletion(file)) deleted.add(file.filename);
    else paths.add(file.filename);
  }
  return { paths: [...paths].sort(), deletedToo: new Set([...deleted].filter((path) => paths.has(path))) };
}
