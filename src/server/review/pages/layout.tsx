import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { STYLES } from "./styles.js";

export interface Chrome {
  title: string;
  /** The signed-in operator and the sign-out form's CSRF token; null when nobody is signed in. */
  operator: { login: string; logoutToken: string } | null;
}

/** A whole page: the one inline stylesheet (allowed by its hash), a viewport for phones, no script. */
export function renderPage(chrome: Chrome, body: Child) {
  return html`<!doctype html>${(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{chrome.title} · Patchwarden review</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <header class="top">
          <a href="/review">Patchwarden review</a>
          {chrome.operator !== null ? (
            <div class="who">
              <span>
                signed in as <strong>{chrome.operator.login}</strong>
              </span>
              <form method="post" action="/review/logout">
                <input type="hidden" name="csrf" value={chrome.operator.logoutToken} />
                <button type="submit">Sign out</button>
              </form>
            </div>
          ) : null}
        </header>
        <main>{body}</main>
      </body>
    </html>
  )}`;
}
