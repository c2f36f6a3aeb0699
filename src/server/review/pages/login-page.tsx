import { FlashNotice } from "../components/flash-notice.js";
import type { Flash } from "../flash.js";
import { renderPage } from "./layout.js";

export function loginPage(view: { csrf: string; next: string | null; problem: string | null; flash: Flash | null; login: string }) {
  return renderPage(
    { title: "Sign in", operator: null },
    <form method="post" action="/review/login" class="panel login">
      <h1>Sign in to review</h1>
      <FlashNotice flash={view.flash} />
      {view.problem !== null ? <p class="notice bad">{view.problem}</p> : null}
      <p class="muted">Operators sign in with their Forgejo login and the review token configured for them (PATCHWARDEN_REVIEW_TOKENS).</p>
      <input type="hidden" name="csrf" value={view.csrf} />
      {view.next !== null ? <input type="hidden" name="next" value={view.next} /> : null}
      <label for="login">Forgejo login</label>
      <input type="text" id="login" name="login" value={view.login} autocomplete="username" autocapitalize="none" spellcheck={false} required maxlength={64} />
      <label for="token">Review token</label>
      <input type="password" id="token" name="token" autocomplete="current-password" required maxlength={512} />
      <button type="submit" class="approve">
        Sign in
      </button>
    </form>,
  );
}
