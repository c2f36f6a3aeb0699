import type { Verdict } from "../../../verdict/verdict-types.js";
import { SeverityLabel } from "./badges.js";
import { Untrusted } from "./untrusted.js";
import { isPast, relative, roughDuration, when } from "../pages/time.js";

export function ReasonsTable(props: { verdict: Verdict }) {
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>severity</th>
          <th>code</th>
          <th>message</th>
          <th>where</th>
        </tr>
      </thead>
      <tbody>
        {props.verdict.reasons.map((reason) => (
          <tr>
            <td data-label="severity" class="nowrap">
              <SeverityLabel severity={reason.severity} />
            </td>
            <td data-label="code" class="nowrap">
              <code>{reason.code}</code>
            </td>
            <td data-label="message">
              <Untrusted text={reason.message} />
            </td>
            <td data-label="where">
              {reason.path !== undefined ? (
                <code>
                  <Untrusted text={reason.path} />
                </code>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Ages as the verdict judged them, and whether each item has gone stale since (approval would then refuse). */
export function EvidenceTable(props: { verdict: Verdict; now: number }) {
  if (props.verdict.evidence.length === 0) return <p class="muted">No evidence was read.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>#</th>
          <th>kind</th>
          <th>subject</th>
          <th>status</th>
          <th>age when judged</th>
          <th>generated</th>
          <th>stale at</th>
        </tr>
      </thead>
      <tbody>
        {props.verdict.evidence.map((item) => (
          <tr>
            <td data-label="#">{item.index}</td>
            <td data-label="kind" class="nowrap">
              <code>{item.kind}</code>
            </td>
            <td data-label="subject">
              {item.subject !== undefined ? (
                <code>
                  <Untrusted text={item.subject} />
                </code>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
            <td data-label="status">
              <code>{item.status}</code>
            </td>
            <td data-label="age when judged">{roughDuration(item.age_seconds)}</td>
            <td data-label="generated">{when(item.generated_at)}</td>
            <td data-label="stale at">
              {when(item.stale_at)}
              {isPast(item.stale_at, props.now) ? <span class="stale"> (stale now)</span> : <span class="muted"> ({relative(item.stale_at, props.now)})</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DigestList(props: { verdict: Verdict; evidenceRef: string }) {
  const v = props.verdict;
  return (
    <dl class="summary">
      <dt>bundle</dt>
      <dd>
        <code>{v.bundle.digest ?? "unread"}</code> <span class="muted">({v.bundle.format})</span>
      </dd>
      <dt>policy</dt>
      <dd>
        <code>{v.policy.digest}</code>{" "}
        <span class="muted">
          (<Untrusted text={v.policy.name} />)
        </span>
      </dd>
      <dt>engine</dt>
      <dd>
        <code>
          {v.engine.name} {v.engine.version}
        </code>
      </dd>
      <dt>evidence snapshot</dt>
      <dd>
        <code>{props.evidenceRef}</code> <span class="muted">(the exact bytes approval judges again)</span>
      </dd>
      <dt>evaluated at</dt>
      <dd>{when(v.evaluated_at)}</dd>
    </dl>
  );
}
