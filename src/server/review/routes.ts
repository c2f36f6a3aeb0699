import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { targetKey } from "../../queue/proposal-target.js";
import { receiptsOfProposal } from "../../receipts/proposal-receipts.js";
import { isExpectedHost, isLocalRequest, isLoopbackAddress, requestHostName, reviewMode, type ReviewMode } from "./access.js";
import { approveFromPage, rejectFromPage, writeTokenProblem } from "./actions.js";
import { clearReviewCookie, isHttps, LOGIN_COOKIE, readCookie, SESSION_COOKIE, setReviewCookie } from "./cookies.js";
import { matchOperator } from "./credentials.js";
import { crossSiteProblem, csrfToken, csrfValid } from "./csrf.js";
import { setFlash, takeFlash } from "./flash.js";
import { LoginLimiter } from "./login-limiter.js";
import { detailPage } from "./pages/detail-page.js";
import type { Chrome } from "./pages/layout.js";
import { listPage } from "./pages/list-page.js";
import { loginPage } from "./pages/login-page.js";
import { messagePage } from "./pages/message-page.js";
import { readForm } from "./read-form.js";
import type { ReviewDeps, ReviewEnv } from "./review-deps.js";
import { SESSION_MS, Sessions, type Session } from "./sessions.js";
import { securityHeaders } from "./security-headers.js";

const ID = "p_[0-9a-f]{20}";
/** Past proposals on the list unless `?all=1`. */
const PAST_SHOWN = 50;
/** Logged for a failed sign-in in place of a login that is no configured operator's. */
export const NOT_A_CONFIGURED_LOGIN = "(not a configured login)";
const ANONYMOUS: Chrome = { title: "Review", operator: null };

/**
 * The review page under /review: the queue as HTML, and approve/reject for a signed-in operator.
 * Mounted by `app.route("/review", reviewRoutes(deps))`.
 */
export function reviewRoutes(deps: ReviewDeps, limiter = new LoginLimiter()): Hono<ReviewEnv> {
  const mode = reviewMode(deps.tokens, deps.listenHost);
  const app = new Hono<ReviewEnv>();
  app.use("*", securityHeaders());
  app.onError((error, c) => {
    deps.log.error("review.error", { method: c.req.method, path: new URL(c.req.url).pathname, error: error.message });
    return c.html(messagePage(ANONYMOUS, { heading: "Something went wrong", message: "the review page could not answer this request; the server log has the details (event review.error)." }), 500);
  });

  if (mode.kind === "disabled") {
    app.all("*", (c) =>
      c.html(
        messagePage(ANONYMOUS, {
          heading: "The review page is off",
          message: `the server listens on \`${mode.listenHost}\`, which is not loopback, and no operator credentials are configured, so the review page is not served.`,
          hint: "To enable it, set PATCHWARDEN_REVIEW_TOKENS to login=token pairs (operators then sign in), or listen on 127.0.0.1 for a read-only page on this machine.",
        }),
        404,
      ),
    );
    return app;
  }

  const state = deps.sessionState;
  if (mode.kind === "operators" && state === null) throw new Error("review: operator tokens are configured but no session key was given");
  const key = state?.key ?? null;
  const sessions = mode.kind === "operators" && state !== null ? new Sessions(state.key, deps.tokens, state.signedOut) : null;
  const remote = (c: Context) => deps.remoteAddress(c);

  app.use("*", async (c, next) => {
    if (!isExpectedHost(requestHostName(c), mode, deps.listenHost, deps.publicOrigin)) return misdirected(c, mode, deps.listenHost, deps.publicOrigin);
    if (mode.kind === "read-only" && !isLocalRequest(c, remote(c))) {
      return c.html(
        messagePage(ANONYMOUS, {
          heading: "Not found",
          message: "without operator credentials the review page is read-only and served to this machine only, never through a proxy or the network.",
          hint: "Set PATCHWARDEN_REVIEW_TOKENS so operators can sign in from elsewhere.",
        }),
        404,
      );
    }
    c.set("session", sessions?.verify(readCookie(c, SESSION_COOKIE), deps.now()) ?? null);
    await next();
    return undefined;
  });

  const chrome = (c: Context<ReviewEnv>, title: string): Chrome => {
    const session = c.get("session");
    return { title, operator: session !== null && key !== null ? { login: session.login, logoutToken: csrfToken(key, session.id, "logout") } : null };
  };
  const noSuchProposal = (c: Context<ReviewEnv>, id: string) => notFound(c, chrome(c, "Not found"), `there is no proposal \`${id}\` in this server's queue.`);

  /** A GET in operators mode needs a session: otherwise, to the sign-in form and back. */
  const signInFirst = (c: Context<ReviewEnv>): Response | null => {
    if (mode.kind !== "operators" || c.get("session") !== null) return null;
    const path = new URL(c.req.url).pathname;
    return c.redirect(`/review/login${safeNext(path) !== null ? `?next=${encodeURIComponent(path)}` : ""}`, 303);
  };

  /** Every POST but sign-in: same site, a signed-in operator, and the form's own CSRF token. */
  const guardPost = async (c: Context<ReviewEnv>, purpose: string): Promise<{ session: Session; form: URLSearchParams } | Response> => {
    const refuse = (status: 401 | 403 | 413 | 415, heading: string, message: string, hint?: string) => c.html(messagePage(chrome(c, heading), { heading, message, ...(hint !== undefined ? { hint } : {}) }), status);
    if (mode.kind !== "operators" || key === null) return refuse(403, "Read-only", "no operator credentials are configured, so nothing can be approved or rejected here.", "Use `patchwarden queue approve|reject`, or set PATCHWARDEN_REVIEW_TOKENS.");
    const crossSite = crossSiteProblem(c, deps.publicOrigin);
    if (crossSite !== null) return refuse(403, "Refused", `${crossSite}; nothing was done.`);
    const session = c.get("session");
    if (session === null) return refuse(401, "Sign in first", "this form needs a signed-in operator; your session may have expired.", "Sign in again, then repeat the action.");
    const read = await readForm(c);
    if (!read.ok) return refuse(read.status, "Refused", `${read.problem}; nothing was done.`);
    if (!csrfValid(key, session.id, purpose, read.form.get("csrf") ?? undefined)) {
      return refuse(403, "Refused", "the form's security token is missing or does not belong to this session and action; nothing was done.", "Go back, reload the page, and submit the form again.");
    }
    return { session, form: read.form };
  };

  app.get("/login", (c) => {
    if (mode.kind !== "operators" || key === null || c.get("session") !== null) return c.redirect("/review", 303);
    let nonce = readCookie(c, LOGIN_COOKIE);
    if (nonce === undefined || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) {
      nonce = randomBytes(18).toString("base64url");
      setReviewCookie(c, LOGIN_COOKIE, nonce, 3600, deps.publicOrigin);
    }
    const next = safeNext(c.req.query("next"));
    return c.html(loginPage({ csrf: loginToken(key, nonce, next ?? undefined), next, problem: null, flash: takeFlash(c, key, deps.publicOrigin), login: "" }));
  });

  app.post("/login", async (c) => {
    if (mode.kind !== "operators" || key === null || sessions === null) return c.html(messagePage(ANONYMOUS, { heading: "Read-only", message: "no operator credentials are configured; there is nothing to sign in to." }), 403);
    const crossSite = crossSiteProblem(c, deps.publicOrigin);
    if (crossSite !== null) return c.html(messagePage(ANONYMOUS, { heading: "Refused", message: `${crossSite}; nobody was signed in.` }), 403);
    const address = remote(c) ?? "in-process";
    const read = await readForm(c);
    if (!read.ok) return c.html(messagePage(ANONYMOUS, { heading: "Refused", message: `${read.problem}; nobody was signed in.` }), read.status);
    const nonce = readCookie(c, LOGIN_COOKIE);
    const next = read.form.get("next") ?? undefined;
    if (nonce === undefined || !csrfValid(key, `login:${nonce}`, loginPurpose(next), read.form.get("csrf") ?? undefined)) {
      return c.html(messagePage(ANONYMOUS, { heading: "Refused", message: "the sign-in form's security token is missing or stale; nobody was signed in.", hint: "Open /review/login again and sign in." }), 403);
    }
    const login = (read.form.get("login") ?? "").trim();
    const shown = login.slice(0, 64);
    const now = deps.now();
    // From here to the answer nothing awaits: the attempt is counted before its token is looked at.
    const attempt = limiter.attempt(address, shown, now);
    if (!attempt.ok) {
      c.header("retry-after", String(Math.ceil(attempt.retryAfterMs / 1000)));
      return c.html(
        messagePage(ANONYMOUS, {
          heading: "Too many attempts",
          message: `too many failed sign-ins as \`${shown}\` from this address; try again in ${minutes(Math.ceil(attempt.retryAfterMs / 60_000))}.`,
          hint: "If they were not yours, someone is guessing this login's token from your address (behind a proxy: from anywhere); the server log names each try (review.login_failed). Other logins are not held up, and `patchwarden queue approve|reject` works meanwhile.",
        }),
        429,
      );
    }
    const operator = matchOperator(deps.tokens, login, read.form.get("token") ?? "");
    if (operator === null) {
      // A login that is no operator's may be a token typed into the wrong field: not for the journal.
      deps.log.warn("review.login_failed", { address, login: deps.tokens.has(login) ? login : NOT_A_CONFIGURED_LOGIN });
      return c.html(loginPage({ csrf: loginToken(key, nonce, next), next: safeNext(next), problem: "That login and token do not match a configured operator.", flash: null, login: shown }), 401);
    }
    attempt.succeeded();
    const issued = sessions.issue(operator, now);
    setReviewCookie(c, SESSION_COOKIE, issued.cookie, SESSION_MS / 1000, deps.publicOrigin);
    clearReviewCookie(c, LOGIN_COOKIE, deps.publicOrigin);
    deps.log.info("review.login", { address, login: operator });
    return c.redirect(safeNext(next) ?? "/review", 303);
  });

  app.post("/logout", async (c) => {
    const guarded = await guardPost(c, "logout");
    if (guarded instanceof Response) return guarded;
    let saved = true;
    try {
      await sessions?.revoke(guarded.session, deps.now());
    } catch (error) {
      saved = false;
      deps.log.error("review.signout_not_saved", { login: guarded.session.login, error: (error as Error).message, message: "the session is refused until the server stops; a copy of its cookie works again after a restart until it expires. Make the data folder writable" });
    }
    clearReviewCookie(c, SESSION_COOKIE, deps.publicOrigin);
    const text = saved ? "Signed out." : "Signed out here, but the sign-out could not be saved: after a restart a copy of this session's cookie would work until it expires. The server log says why (review.signout_not_saved).";
    setFlash(c, key!, { kind: saved ? "done" : "refused", text }, deps.publicOrigin);
    return c.redirect("/review/login", 303);
  });

  const list = async (c: Context<ReviewEnv>) => {
    const redirect = signInFirst(c);
    if (redirect !== null) return redirect;
    const { proposals: all, damaged } = await deps.proposals.scan();
    const pending = all.filter((p) => p.state === "pending");
    const past = all.filter((p) => p.state !== "pending");
    const shown = c.req.query("all") === "1" ? past : past.slice(0, PAST_SHOWN);
    return c.html(
      listPage({ chrome: chrome(c, "Proposals"), pending, past: shown, morePast: past.length - shown.length, readOnly: mode.kind === "read-only", damaged: damaged.map((error) => error.message), flash: takeFlash(c, key, deps.publicOrigin), forgejoUrl: deps.forgejoUrl, now: deps.now() }),
    );
  };
  app.get("/", list);

  app.get(`/:id{${ID}}`, async (c) => {
    const redirect = signInFirst(c);
    if (redirect !== null) return redirect;
    const id = c.req.param("id");
    const proposal = await deps.proposals.get(id);
    if (proposal === null) return noSuchProposal(c, id);
    const session = c.get("session");
    const others = (await deps.proposals.scan()).proposals.filter((p) => p.id !== id && targetKey(p.target) === targetKey(proposal.target));
    const address = remote(c);
    return c.html(
      detailPage({
        chrome: chrome(c, proposal.id),
        proposal,
        receipts: await receiptsOfProposal(deps.receipts.paths.log, id),
        others,
        actions: session !== null && key !== null ? { approve: csrfToken(key, session.id, `approve:${id}`), reject: csrfToken(key, session.id, `reject:${id}`) } : null,
        insecure: !isHttps(c, deps.publicOrigin) && address !== null && !isLoopbackAddress(address),
        flash: takeFlash(c, key, deps.publicOrigin),
        forgejoUrl: deps.forgejoUrl,
        now: deps.now(),
      }),
    );
  });

  app.post(`/:id{${ID}}/approve`, async (c) => {
    const id = c.req.param("id");
    const guarded = await guardPost(c, `approve:${id}`);
    if (guarded instanceof Response) return guarded;
    if ((await deps.proposals.get(id)) === null) return noSuchProposal(c, id);
    const writeToken = guarded.form.get("write_token") ?? "";
    // Refused before the approval starts: a token Forgejo could not be sent would fail only after the approval was recorded.
    const problem = writeTokenProblem(writeToken);
    if (problem !== null) {
      return c.html(
        messagePage(chrome(c, "Not posted"), { heading: "Not posted", message: `${problem}; nothing was recorded or posted.`, hint: "Go back, paste the token alone exactly as Forgejo showed it (or create a new one), and approve again." }),
        400,
      );
    }
    setFlash(c, key!, await approveFromPage(deps, id, guarded.session.login, writeToken), deps.publicOrigin);
    return c.redirect(`/review/${id}`, 303);
  });

  app.post(`/:id{${ID}}/reject`, async (c) => {
    const id = c.req.param("id");
    const guarded = await guardPost(c, `reject:${id}`);
    if (guarded instanceof Response) return guarded;
    if ((await deps.proposals.get(id)) === null) return noSuchProposal(c, id);
    setFlash(c, key!, await rejectFromPage(deps, id, guarded.session.login, guarded.form.get("reason") ?? ""), deps.publicOrigin);
    return c.redirect(`/review/${id}`, 303);
  });

  app.all("*", (c) => {
    const path = new URL(c.req.url).pathname;
    if (path === "/review/" && c.req.method === "GET") return c.redirect("/review", 301);
    return notFound(c, chrome(c, "Not found"), `no page ${c.req.method} ${path.slice(0, 200)} here.`);
  });
  return app;
}

/** 421: a Host this page does not answer to, most likely a DNS-rebinding page; nothing of the queue is shown. */
function misdirected(c: Context, mode: ReviewMode, listenHost: string, publicOrigin: URL | undefined) {
  const host = (c.req.header("host") ?? new URL(c.req.url).host).slice(0, 200);
  const view =
    mode.kind === "operators"
      ? {
          message: `the Host \`${host}\` is not an address of this review page; it answers only to loopback names, the listen address \`${listenHost}\`${publicOrigin !== undefined ? ` and \`${publicOrigin.host}\` (PATCHWARDEN_REVIEW_ORIGIN)` : ""}, so that no other web site can read it.`,
          hint: "Behind a proxy, set PATCHWARDEN_REVIEW_ORIGIN to the address operators open (like `https://patchwarden.example.org`) and have the proxy pass that name on (nginx: `proxy_set_header Host $host;`).",
        }
      : {
          message: `the Host \`${host}\` is not a loopback name; without operator credentials the review page answers only at localhost, 127.0.0.1 or [::1], so that no other web site can read it.`,
          hint: "Open it on this machine as http://127.0.0.1:<port>/review (from elsewhere, through an SSH tunnel), or set PATCHWARDEN_REVIEW_TOKENS so operators can sign in.",
        };
  return c.html(messagePage(ANONYMOUS, { heading: "Wrong address", ...view }), 421);
}

function notFound(c: Context<ReviewEnv>, chrome: Chrome, message: string) {
  return c.html(messagePage(chrome, { heading: "Not found", message }), 404);
}

/** Where to go after signing in: a review page and nothing else (no open redirect). */
function safeNext(next: string | undefined): string | null {
  return next !== undefined && new RegExp(`^/review(?:/${ID})?$`).test(next) ? next : null;
}

/** The sign-in form's CSRF token, bound to its nonce cookie and to where it leads. */
function loginToken(key: Buffer, nonce: string, next: string | undefined): string {
  return csrfToken(key, `login:${nonce}`, loginPurpose(next));
}

function loginPurpose(next: string | undefined): string {
  return `login:${safeNext(next) ?? "/review"}`;
}

function minutes(count: number): string {
  return count === 1 ? "1 minute" : `${count} minutes`;
}
