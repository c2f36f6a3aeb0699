import { stat } from "node:fs/promises";

/** Whether anything is at `path` (an unreadable parent counts as nothing there). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
