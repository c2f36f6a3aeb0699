import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeFsError, readSmallTextFile } from "../fsutil/read-bounded.js";
import type { ReceiptSigner } from "./seal.js";
import { pathExists } from "../fsutil/path-exists.js";
import { makeFolder } from "../fsutil/make-folder.js";


/** The variable naming the operator's private key; when set, every receipt and head is signed. */
export const SIGNING_KEY_VARIABLE = "PATCHWARDEN_RECEIPT_KEY";
export const PRIVATE_KEY_FILE = "receipt-signing.key";
export const PUBLIC_KEY_FILE = "receipt-signing.pub";

/** A key file that cannot be used, said path first; the CLI turns it into exit status 2. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningKeyError";
  }
}

/** `ed25519:` and the first 16 hex digits of the sha256 of the public key (SPKI DER): short, and says which key. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return `ed25519:${createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex").slice(0, 16)}`;
}

export function signerFromKey(privateKey: KeyObject): ReceiptSigner {
  const keyId = keyIdOf(privateKey);
  return { keyId, sign: (message) => sign(null, message, privateKey).toString("base64") };
}

export function verifyWith(publicKey: KeyObject, message: Uint8Array, signature: string): boolean {
  try {
    return verify(null, message, publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/**
 * Writes a new ed25519 key pair into `dir`: the private key readable by its owner only (0600), the
 * public key for anyone who verifies. Never overwrites: a replaced key would orphan every
 * signature made with the old one.
 */
export async function writeSigningKeys(dir: string): Promise<{ privatePath: string; publicPath: string; keyId: string }> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  await makeFolder(dir, 0o700);
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const publicPath = join(dir, PUBLIC_KEY_FILE);
  for (const path of [privatePath, publicPath]) {
    if (await pathExists(path)) throw new SigningKeyError(`${path}: already exists; keys are never overwritten, so choose another folder (or move the old keys away first)`);
  }
  await writeNew(privatePath, privateKey.export({ type: "pkcs8", format: "pem" }), 0o600);
  await writeNew(publicPath, publicKey.export({ type: "spki", format: "pem" }), 0o644);
  return { privatePath, publicPath, keyId: keyIdOf(publicKey) };
}

/** Loads the operator's private key; refuses one that others can read, as ssh does. */
export async function loadSigner(path: string): Promise<ReceiptSigner> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode;
    text = await readSmallTextFile(path);
  } catch (error) {
    throw new SigningKeyError(`${path}: cannot read the receipt signing key (${describeFsError(error)}); fix ${SIGNING_KEY_VARIABLE} or create a key with \`patchwarden receipts keygen --out DIR\``);
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new SigningKeyError(`${path}: the private key is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, "0")}); run \`chmod 600 ${path}\``);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new SigningKeyError(`${path}: not a PEM private key; give the \`${PRIVATE_KEY_FILE}\` that \`patchwarden receipts keygen\` wrote`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new SigningKeyError(`${path}: a key of type \`${key.asymmetricKeyType ?? "unknown"}\`; receipts are signed with ed25519 only (\`patchwarden receipts keygen\`)`);
  return signerFromKey(key);
}

/** Public keys by key id, for verifying offline. */
export async function loadPublicKeys(paths: readonly string[]): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  for (const path of paths) {
    let text: string;
    try {
      text = await readSmallTextFile(path);
    } catch (error) {
      throw new SigningKeyError(`${path}: cannot read the public key (${describeFsError(error)})`);
    }
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch {
      throw new SigningKeyError(`${path}: not a PEM public key; give the \`${PUBLIC_KEY_FILE}\` that \`patchwarden receipts keygen\` wrote`);
    }
    if (key.asymmetricKeyType !== "ed25519") throw new SigningKeyError(`${path}: a key of type \`${key.asymmetricKeyType ?? "unknown"}\`; receipts are signed with ed25519 only`);
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

async function writeNew(path: string, text: string | Buffer, mode: number): Promise<void> {
  const handle = await open(path, "wx", mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
