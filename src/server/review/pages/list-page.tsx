import { isWhatIf, type Proposal } from "../../../queue/proposal.js";
import { describeTarget } from "../../../queue/proposal-target.js";
import { OutcomeBadge, StateLabel } from "../components/badges.js";
import { FlashNotice } from "../components/flash-notice.js";
import { Untrusted, UntrustedCodeList } from "../components/untrusted.js";
import type { Flash } from "../flash.js";
import { forgejoLink } from "../links.js";
import { renderPage, type Chrome } from "./layout.js";
import { ReadOnlyNotice } from "./read-only-notice.js";
import { relative, whenMinute } from "./time.js";

export interface ListView {
  chrome: Chrome;
  pending: Proposal[];
  past: Proposal[];
  /** Past proposals left out of `past` (the page shows the newest). */
  morePast: number;
  readOnly: boolean;
  /** Proposal files that could not be read, each `path: problem`: shown, never silently left out. */
  damaged: string[];
  flash: Flash | null;
  forgejoUrl: URL;
  now: number;
}

export function listPage(view: ListView) {
  return renderPage(
    view.chrome,
    <>
      <h1>Proposals</h1>
      <FlashNotice flash={view.flash} />
      {view.readOnly ? <ReadOnlyNotice /> : null}
      {view.damaged.length > 0 ? <DamagedNotice problems={view.damaged} /> : null}
      <h2>
        Waiting for review <span class="muted">({view.pending.length})</span>
      </h2>
      {view.pending.length === 0 ? <p class="muted">Nothing is waiting for review.</p> : <ProposalTable proposals={view.pending} forgejoUrl={view.forgejoUrl} now={view.now} />}
      <h2>
        Past proposals <span class="muted">({view.past.length + view.morePast})</span>
      </h2>
      {view.past.length === 0 ? <p class="muted">None yet.</p> : <ProposalTable proposals={view.past} forgejoUrl={view.forgejoUrl} now={view.now} />}
      {view.morePast > 0 ? (
        <p class="muted">
          {view.morePast === 1 ? "1 older proposal is" : `${view.morePast} older proposals are`} not shown; <a href="/review?all=1">show all</a>, or use <code>patchwarden queue list</code>.
        </p>
      ) : null}
    </>,
  );
}

function DamagedNotice(props: { problems: string[] }) {
  return (
    <div class="notice bad" role="alert">
      <p>
        {props.problems.length} proposal {props.problems.length === 1 ? "file" : "files"} could not be read and {props.problems.length === 1 ? "is" : "are"} not listed below; <code>patchwarden queue list</code> names {props.problems.length === 1 ? "it" : "them"} too:
      </p>
      <UntrustedCodeList items={props.problems} />
    </div>
  );
}

function ProposalTable(props: { proposals: Proposal[]; forgejoUrl: URL; now: number }) {
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>verdict</th>
          <th>target</th>
          <th>repair</th>
          <th>evidence from</th>
          <th>created</th>
          <th>state</th>
          <th>proposal</th>
        </tr>
      </thead>
      <tbody>
        {props.proposals.map((p) => (
          <tr class={p.state}>
            <td data-label="verdict">
              <OutcomeBadge proposal={p} />
            </td>
            <td data-label="target" class="nowrap">
              <a href={forgejoLink(props.forgejoUrl, p.target)}>{describeTarget(p.target)}</a>
            </td>
            <td data-label="repair">
              {isWhatIf(p) ? (
                <>
                  policy change{" "}
                  <code>
                    <Untrusted text={p.what_if.path} />
                  </code>
                  <div class="muted">{p.what_if.policy_digest === null ? "not a valid policy" : `${p.what_if.replayed} past verdicts replayed, ${p.what_if.tightened} stricter`}</div>
                </>
              ) : (
                <>
                  {p.verdict.repair_class !== null ? (
                    <code>
                      <Untrusted text={p.verdict.repair_class} />
                    </code>
                  ) : (
                    <span class="muted">—</span>
                  )}
                  {p.verdict.candidate_summary ? (
                    <div class="muted">
                      <Untrusted text={shorten(p.verdict.candidate_summary, 140)} />
                    </div>
                  ) : null}
                </>
              )}
            </td>
            <td data-label="evidence from">
              <Untrusted text={p.origin} />
            </td>
            <td data-label="created">
              <span class="nowrap">{relative(p.created_at, props.now)}</span>
              <div class="muted small nowrap">{whenMinute(p.created_at)}</div>
            </td>
            <td data-label="state">
              <StateLabel state={p.state} />
            </td>
            <td data-label="proposal">
              <a href={`/review/${p.id}`}>Review →</a>
              <div class="muted mono small">{p.id}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function shorten(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
