import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export const SESSION_COOKIE = "pw_review_session";
/** The login form's nonce, before any session exists (its CSRF token is derived from it). */
export const LOGIN_COOKIE = "pw_review_login";
export const FLASH_COOKIE = "pw_review_flash";

/**
 * Every review cookie: HttpOnly, SameSite=Strict, scoped to /review, and Secure when the page is
 * reached over https (directly, or through the configured https origin of a proxy).
 */
export function setReviewCookie(c: Context, name: string, value: string, maxAgeSeconds: number, publicOrigin: URL | undefined): void {
  setCookie(c, name, value, { path: "/review", httpOnly: true, sameSite: "Strict", secure: isHttps(c, publicOrigin), maxAge: maxAgeSeconds });
}

export function clearReviewCookie(c: Context, name: string, publicOrigin: URL | undefined): void {
  deleteCookie(c, name, { path: "/review", httpOnly: true, sameSite: "Strict", secure: isHttps(c, publicOrigin) });
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}

export function isHttps(c: Context, publicOrigin: URL | undefined): boolean {
  return new URL(c.req.url).protocol === "https:" || publicOrigin?.protocol === "https:";
}
