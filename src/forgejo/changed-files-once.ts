import type { ChangedFile } from "./api-schemas.js";
import type { ForgejoReader } from "./reader.js";

/**
 * A reader for one job that asks Forgejo for a pull request's or a push's changed files once,
 * though two steps filter them (evidence bundles, then policy what-ifs). Everything else is the
 * reader itself.
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
