import { createHash } from "node:crypto";

/**
 * The page's only stylesheet, inlined and allowed by its hash in the Content-Security-Policy. On
 * narrow screens tables become stacked cards, each cell labelled by its column.
 */
export const STYLES = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa; --link: #0550ae;
  --ok-fg: #116329; --ok-bg: #dafbe1; --ok-line: #4ac26b; --hold-fg: #7d4e00; --hold-bg: #fff8c5; --hold-line: #d4a72c; --block-fg: #a40e26; --block-bg: #ffebe9; --block-line: #ff8182; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Liberation Sans", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; padding: .6rem 1rem; background: #24292f; color: #fff; }
header.top a { color: #fff; text-decoration: none; font-weight: 600; }
header.top .who { display: flex; gap: .75rem; align-items: center; font-size: .9rem; }
header.top form { margin: 0; }
main { max-width: 80rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.45rem; margin: .4rem 0 .8rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
p { margin: .4rem 0; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .85em; }
td { overflow-wrap: break-word; }
.nowrap { white-space: nowrap; }
.small { font-size: .78rem; }
.muted { color: var(--muted); }
.notice { border: 1px solid var(--line); border-left-width: 4px; background: var(--panel); padding: .6rem .8rem; margin: .8rem 0; border-radius: 4px; }
.notice.ok { border-color: var(--ok-line); background: var(--ok-bg); }
.notice.warn { border-color: var(--hold-line); background: var(--hold-bg); }
.notice.bad { border-color: var(--block-line); background: var(--block-bg); }
.badge { display: inline-block; padding: .05rem .5rem; border: 1px solid; border-radius: 999px; font-size: .82rem; font-weight: 600; white-space: nowrap; }
.badge.eligible_repair_dry_run { color: var(--ok-fg); background: var(--ok-bg); border-color: var(--ok-line); }
.badge.needs_human { color: var(--hold-fg); background: var(--hold-bg); border-color: var(--hold-line); }
.badge.blocked { color: var(--block-fg); background: var(--block-bg); border-color: var(--block-line); }
.state { display: inline-block; padding: 0 .45rem; border-radius: 4px; font-size: .8rem; font-weight: 600; background: var(--panel); border: 1px solid var(--line); white-space: nowrap; }
.state.pending { background: #ddf4ff; border-color: #54aeff; color: #0a3069; }
.state.posted { background: var(--ok-bg); border-color: var(--ok-line); color: var(--ok-fg); }
.state.rejected, .state.superseded { color: var(--muted); }
.sev { font-weight: 600; white-space: nowrap; }
.sev.block { color: var(--block-fg); } .sev.hold { color: var(--hold-fg); } .sev.info { color: var(--muted); }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); background: var(--panel); }
tr.pending td { background: #f5fbff; }
.summary { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .5rem 0 1rem; }
.summary dt { color: var(--muted); }
.summary dd { margin: 0; overflow-wrap: anywhere; }
pre.comment { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .8rem; max-height: 32rem; overflow: auto; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; margin: 1rem 0; }
.actions form, form.panel { border: 1px solid var(--line); border-radius: 6px; padding: .8rem; background: var(--panel); }
.actions h3 { margin: 0 0 .4rem; font-size: 1rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
input[type=text], input[type=password], textarea { width: 100%; padding: .5rem; font: inherit; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
textarea { min-height: 4.5rem; }
button { margin-top: .7rem; padding: .5rem 1rem; font: inherit; font-weight: 600; border-radius: 6px; border: 1px solid #8c959f; background: #fff; cursor: pointer; }
button.approve { background: #1f883d; border-color: #1a7f37; color: #fff; }
button.reject { background: #fff; border-color: var(--block-line); color: var(--block-fg); }
header.top button { margin: 0; padding: .2rem .6rem; font-size: .85rem; background: transparent; color: #fff; border-color: #8c959f; }
.login { max-width: 26rem; margin: 2rem auto; }
.stale { color: var(--block-fg); font-weight: 600; }
@media (max-width: 40rem) {
  main { padding: .6rem; }
  h1 { font-size: 1.2rem; }
  .summary { grid-template-columns: 1fr; gap: 0; }
  .summary dd { margin-bottom: .45rem; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { display: none; }
  table.stack tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .6rem; padding: .3rem .5rem; }
  table.stack td { border: 0; padding: .15rem 0; }
  table.stack tr.pending, table.stack tr.pending td { background: #f5fbff; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; font-size: .72rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
}
`.trim();

/** `sha256-…` of STYLES, for the Content-Security-Policy's style-src. */
export const STYLE_HASH = `sha256-${createHash("sha256").update(STYLES).digest("base64")}`;
