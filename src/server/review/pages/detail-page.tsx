import { isWhatIf, type Proposal, type VerdictProposal } from "../../../queue/proposal.js";
import { describeTarget } from "../../../queue/proposal-target.js";
import type { Receipt } from "../../../receipts/receipt-schema.js";
import { VERDICT_HEADLINE } from "../../../verdict/render/labels.js";
import { ActionForms, type ActionTokens } from "../components/action-forms.js";
import type { RepairSummary, Verdict } from "../../../verdict/verdict-types.js";
import { OutcomeBadge, StateLabel } from "../components/badges.js";
import { WhatIfRows, WhatIfSections } from "../components/what-if-parts.js";
import { FlashNotice } from "../components/flash-notice.js";
import { Untrusted } from "../components/untrusted.js";
import { HistoryTable, OtherProposals, ReceiptsTable } from "../components/record-parts.js";
import { DigestList, EvidenceTable, ReasonsTable } from "../components/verdict-parts.js";
import type { Flash } from "../flash.js";
import { forgejoLink, forgejoUrlOrNull } from "../links.js";
import { renderPage, type Chrome } from "./layout.js";
import { ReadOnlyNotice } from "./read-only-notice.js";
import { isPast, relative, when } from "./time.js";

export interface DetailView {
  chrome: Chrome;
  proposal: Proposal;
  receipts: Receipt[];
  others: Proposal[];
  /** The approve and reject forms' CSRF tokens; null when this viewer cannot act (read-only mode). */
  actions: ActionTokens | null;
  insecure: boolean;
  flash: Flash | null;
  forgejoUrl: URL;
  now: number;
}

export function detailPage(view: DetailView) {
  const { proposal: p, now } = view;
  const open = p.state === "pending" || p.state === "approved";
  const posted = forgejoUrlOrNull(view.forgejoUrl, p.posted?.url);
  return renderPage(
    view.chrome,
    <>
      <p>
        <a href="/review">← all proposals</a>
      </p>
      <h1>
        <OutcomeBadge proposal={p} /> {describeTarget(p.target)} <span class="muted mono">{p.id}</span>
      </h1>
      <FlashNotice flash={view.flash} />
      <dl class="summary">
        <dt>state</dt>
        <dd>
          <StateLabel state={p.state} />
          {p.superseded_by !== undefined ? (
            <>
              {" "}
              by <a href={`/review/${p.superseded_by}`}>{p.superseded_by}</a>
            </>
          ) : null}
        </dd>
        <dt>target</dt>
        <dd>
          <a href={forgejoLink(view.forgejoUrl, p.target)}>{describeTarget(p.target)}</a> <span class="muted">({p.target.kind === "commit" ? "commit" : p.target.kind === "pull" ? "pull request" : "issue"} on Forgejo)</span>
        </dd>
        {isWhatIf(p) ? <WhatIfRows whatIf={p.what_if} /> : <VerdictRows proposal={p} />}
        <dt>{isWhatIf(p) ? "policy from" : "evidence from"}</dt>
        <dd>
          <Untrusted text={p.origin} />
        </dd>
        <dt>asked by</dt>
        <dd>
          {p.trigger}
          {p.delivery !== null ? (
            <span class="muted">
              {" "}
              (delivery <Untrusted text={p.delivery.id} />)
            </span>
          ) : null}
        </dd>
        <dt>created</dt>
        <dd>
          {when(p.created_at)} <span class="muted">({relative(p.created_at, now)})</span>
        </dd>
        {isWhatIf(p) ? null : <ValidUntilRow verdict={p.verdict} now={now} />}
        {p.posted !== undefined ? (
          <>
            <dt>posted</dt>
            <dd>
              {when(p.posted.at)} by <Untrusted text={p.posted.by} />
              {posted !== null ? (
                <>
                  {" "}
                  — <a href={posted}>the comment on Forgejo</a>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>

      {!open ? <p class="notice">This proposal is {p.state}; there is nothing to approve.</p> : view.actions !== null ? <ActionForms proposal={p} tokens={view.actions} insecure={view.insecure} /> : <ReadOnlyNotice />}

      {isWhatIf(p) ? <WhatIfSections whatIf={p.what_if} asComment={p.post.kind === "comment"} /> : <VerdictSections proposal={p} now={now} />}

      <h2>{p.post.kind === "comment" ? "The comment, exactly as it would be posted" : "The commit status, exactly as it would be posted"}</h2>
      {p.post.kind === "comment" ? (
        <pre class="comment">
          <Untrusted text={p.post.body} multiline />
        </pre>
      ) : (
        <dl class="summary">
          <dt>state</dt>
          <dd>
            <code>{p.post.state}</code>
          </dd>
          <dt>context</dt>
          <dd>
            <code>
              <Untrusted text={p.post.context} />
            </code>
          </dd>
          <dt>description</dt>
          <dd>
            <Untrusted text={p.post.description} />
          </dd>
        </dl>
      )}

      <h2>History</h2>
      <HistoryTable proposal={p} />

      <h2>Receipts</h2>
      <ReceiptsTable receipts={view.receipts} />

      <h2>Other proposals for {describeTarget(p.target)}</h2>
      <OtherProposals proposals={view.others} now={now} />
    </>,
  );
}

function VerdictRows(props: { proposal: VerdictProposal }) {
  const v = props.proposal.verdict;
  return (
    <>
      <dt>verdict</dt>
      <dd>
        <code>{v.verdict}</code> — {VERDICT_HEADLINE[v.verdict]}
      </dd>
      {v.repair_class !== null ? (
        <>
          <dt>repair class</dt>
          <dd>
            <code>
              <Untrusted text={v.repair_class} />
            </code>
            {v.candidate_summary ? (
              <>
                {" "}
                — <Untrusted text={v.candidate_summary} />
              </>
            ) : null}
          </dd>
        </>
      ) : null}
      {v.target !== null && (v.target.host !== undefined || v.target.service !== undefined) ? (
        <>
          <dt>repair target</dt>
          <dd>
            {v.target.host !== undefined ? (
              <>
                host{" "}
                <code>
                  <Untrusted text={v.target.host} />
                </code>{" "}
              </>
            ) : null}
            {v.target.service !== undefined ? (
              <>
                service{" "}
                <code>
                  <Untrusted text={v.target.service} />
                </code>
              </>
            ) : null}
          </dd>
        </>
      ) : null}
      {v.repair != null ? <RepairRows repair={v.repair} /> : null}
    </>
  );
}

/** The class as the policy describes it: who would carry it out and what must pass after; absent from verdicts before engine 1.4.0. */
function RepairRows(props: { repair: RepairSummary }) {
  const { repair } = props;
  return (
    <>
      <dt>class risk</dt>
      <dd>
        <code>{repair.risk}</code>
      </dd>
      <dt>executor</dt>
      <dd>
        <Untrusted text={repair.executor} />
      </dd>
      <dt>postchecks</dt>
      <dd>
        {repair.postchecks.length === 0 ? (
          <span class="muted">none</span>
        ) : (
          <ul>
            {repair.postchecks.map((check) => (
              <li>
                <Untrusted text={check} />
              </li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}

function ValidUntilRow(props: { verdict: Verdict; now: number }) {
  const { verdict: v, now } = props;
  return (
    <>
      <dt>valid until</dt>
      <dd>
        {v.valid_until === null ? (
          <span class="muted">— (no evidence)</span>
        ) : (
          <>
            {when(v.valid_until)} {isPast(v.valid_until, now) ? <span class="stale">(expired: approval will refuse; ask for a new check)</span> : <span class="muted">({relative(v.valid_until, now)})</span>}
          </>
        )}
      </dd>
    </>
  );
}

function VerdictSections(props: { proposal: VerdictProposal; now: number }) {
  const { proposal: p, now } = props;
  const v = p.verdict;
  return (
    <>
      <h2>Reasons</h2>
      <ReasonsTable verdict={v} />

      <h2>Evidence</h2>
      <EvidenceTable verdict={v} now={now} />

      <h2>Digests</h2>
      <DigestList verdict={v} evidenceRef={p.evidence_ref} />
    </>
  );
}
