import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * `mkdir -p` that names the real refusal. Node's recursive mkdir reports ENOENT for a folder it
 * could not create on a read-only file system, which reads as "the path is wrong"; on ENOENT the
 * missing folders are made one at a time, so the error thrown is the one the system gave (EROFS).
 */
export async function makeFolder(path: string, mode?: number): Promise<void> {
  const options = mode === undefined ? {} : { mode };
  try {
    await mkdir(path, { ...options, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const parent = dirname(path);
    if (parent !== path) await makeFolder(parent, mode);
    await mkdir(path, options).catch((again: unknown) => {
      if ((again as NodeJS.ErrnoException).code !== "EEXIST") throw again;
    });
  }
}
