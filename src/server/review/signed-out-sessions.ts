import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { writeFileAtomic } from "../../fsutil/atomic-write.js";

export const SIGNED_OUT_FILE = "review-signed-out.json";
/** Far beyond what eight hours of sign-outs write; a bigger file was not written by this code. */
const MAX_BYTES = 1024 * 1024;

const fileSchema = z.strictObject({
  version: z.literal(1),
  /** session id → when the session would have expired (epoch ms) */
  signed_out: z.record(z.string().regex(/^[A-Za-z0-9_-]{24}$/), z.number().int().nonnegative()),
});

export type SignedOutLoad = { ok: true; sessions: SignedOutSessions } | { ok: false; problem: string };

/**
 * Sessions signed out before they expired. The session key survives a restart, so this list must
 * too, or a copied cookie that was signed out would work again after one. Only ids and expiry times
 * are kept (mode 0600, written whole or not at all); an entry goes once its session has expired.
 */
export class SignedOutSessions {
  private saving: Promise<void> = Promise.resolve();

  /** `path` null: kept in memory only (unit tests). */
  constructor(
    private readonly path: string | null,
    private readonly ids = new Map<string, number>(),
  ) {}

  /** The list in the data folder: empty when there is no file yet; a problem when it cannot be read or trusted. */
  static async load(dataDir: string, now: number): Promise<SignedOutLoad> {
    const path = join(dataDir, SIGNED_OUT_FILE);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, sessions: new SignedOutSessions(path) };
      return { ok: false, problem: `${path}: cannot be read (${(error as Error).message})` };
    }
    if (text.length > MAX_BYTES) return { ok: false, problem: `${path}: holds ${text.length} characters, more than a list of sign-outs ever needs` };
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      return { ok: false, problem: `${path}: is not a list of signed-out review sessions` };
    }
    const ids = new Map(Object.entries(parsed.signed_out).filter(([, expiresAt]) => expiresAt > now));
    return { ok: true, sessions: new SignedOutSessions(path, ids) };
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * Refuses the session from now on, in memory at once, and resolves once the file holds it.
   * Throws when the file cannot be written; the session stays refused until the server stops.
   */
  async add(id: string, expiresAt: number, now: number): Promise<void> {
    for (const [known, until] of this.ids) if (until <= now) this.ids.delete(known);
    this.ids.set(id, expiresAt);
    await this.save();
  }

  /** Writes the list as it is when its turn comes: two sign-outs at once cannot leave the older list on disk. */
  save(): Promise<void> {
    const path = this.path;
    if (path === null) return Promise.resolve();
    const write = () => writeFileAtomic(path, `${JSON.stringify({ version: 1, signed_out: Object.fromEntries(this.ids) })}\n`, { mode: 0o600 });
    const saved = this.saving.then(write, write);
    this.saving = saved.catch(() => {});
    return saved;
  }
}
