import type { Context } from "hono";
import { clearReviewCookie, FLASH_COOKIE, readCookie, setReviewCookie } from "./cookies.js";
import { mac, sameSecret } from "./mac.js";

/** The outcome of a form, shown once on the page the browser is redirected to. Never holds a secret. */
export interface Flash {
  kind: "done" | "refused";
  text: string;
}

const MAX_TEXT = 1500;

/** Signed, so another page cannot plant a message that looks like Patchwarden's. */
export function setFlash(c: Context, key: Buffer, flash: Flash, publicOrigin: URL | undefined): void {
  const payload = Buffer.from(JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, MAX_TEXT) })).toString("base64url");
  setReviewCookie(c, FLASH_COOKIE, `${payload}.${mac(key, "flash", payload)}`, 120, publicOrigin);
}

/** Reads the message and clears it, so a reload does not show it again. */
export function takeFlash(c: Context, key: Buffer | null, publicOrigin: URL | undefined): Flash | null {
  const cookie = readCookie(c, FLASH_COOKIE);
  if (cookie === undefined || key === null) return null;
  clearReviewCookie(c, FLASH_COOKIE, publicOrigin);
  const [payload, given] = cookie.split(".");
  if (payload === undefined || given === undefined || !sameSecret(given, mac(key, "flash", payload))) return null;
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<Flash>;
    if ((value.kind === "done" || value.kind === "refused") && typeof value.text === "string") return { kind: value.kind, text: value.text };
  } catch {
    // A signed cookie that does not parse was not written by this code; show nothing.
  }
  return null;
}
