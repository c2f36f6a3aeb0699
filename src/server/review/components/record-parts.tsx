import type { Proposal } from "../../../queue/proposal.js";
import type { Receipt } from "../../../receipts/receipt-schema.js";
import { OutcomeBadge, StateLabel } from "./badges.js";
import { Untrusted } from "./untrusted.js";
import { relative, when } from "../pages/time.js";

export function HistoryTable(props: { proposal: Proposal }) {
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>when</th>
          <th>state</th>
          <th>by</th>
          <th>why</th>
        </tr>
      </thead>
      <tbody>
        {props.proposal.history.map((event) => (
          <tr>
            <td data-label="when">{when(event.at)}</td>
            <td data-label="state">
              <StateLabel state={event.state} />
            </td>
            <td data-label="by">
              <Untrusted text={event.actor} />
            </td>
            <td data-label="why">{event.reason !== undefined ? <Untrusted text={event.reason} /> : <span class="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The trust layer's record of this proposal: what was decided, by whom, sealed in the hash chain. */
export function ReceiptsTable(props: { receipts: Receipt[] }) {
  if (props.receipts.length === 0) return <p class="muted">No receipts mention this proposal yet.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>seq</th>
          <th>when</th>
          <th>kind</th>
          <th>by</th>
          <th>detail</th>
          <th>hash</th>
        </tr>
      </thead>
      <tbody>
        {props.receipts.map((receipt) => (
          <tr>
            <td data-label="seq">{receipt.seq}</td>
            <td data-label="when">{when(receipt.time)}</td>
            <td data-label="kind">
              <code>{receipt.kind}</code>
            </td>
            <td data-label="by">
              <Untrusted text={receipt.actor} />
            </td>
            <td data-label="detail">
              <Untrusted text={receiptDetail(receipt)} />
            </td>
            <td data-label="hash">
              <code title={receipt.hash}>{receipt.hash.slice(0, 19)}…</code>
              {receipt.sig !== undefined ? <span class="muted"> signed</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function receiptDetail(receipt: Receipt): string {
  const parts: string[] = [];
  if ("verdict" in receipt && receipt.verdict !== undefined) parts.push(receipt.verdict);
  if ("lock_id" in receipt) parts.push(`lock ${receipt.lock_id}`);
  if ("comment_id" in receipt && receipt.comment_id !== undefined) parts.push(`comment ${receipt.comment_id}`);
  if ("superseded_by" in receipt && receipt.superseded_by !== undefined) parts.push(`by ${receipt.superseded_by}`);
  if (receipt.reason !== undefined) parts.push(receipt.reason);
  return parts.join(" · ") || "—";
}

/** Other proposals for the same target: what was judged before (or after) this one. */
export function OtherProposals(props: { proposals: Proposal[]; now: number }) {
  if (props.proposals.length === 0) return <p class="muted">No other proposal for this target.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>proposal</th>
          <th>state</th>
          <th>verdict</th>
          <th>created</th>
        </tr>
      </thead>
      <tbody>
        {props.proposals.map((p) => (
          <tr>
            <td data-label="proposal">
              <a href={`/review/${p.id}`}>
                <code>{p.id}</code>
              </a>
            </td>
            <td data-label="state">
              <StateLabel state={p.state} />
            </td>
            <td data-label="verdict">
              <OutcomeBadge proposal={p} />
            </td>
            <td data-label="created">
              {when(p.created_at)} <span class="muted">({relative(p.created_at, props.now)})</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
