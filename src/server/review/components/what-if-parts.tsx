import type { WhatIf } from "../../../queue/proposal.js";
import { Untrusted, UntrustedCodeList } from "./untrusted.js";

/** The summary rows of a policy what-if: the candidate and what replaying it found. */
export function WhatIfRows(props: { whatIf: WhatIf }) {
  const w = props.whatIf;
  return (
    <>
      <dt>policy what-if</dt>
      <dd>
        <code>
          <Untrusted text={w.path} />
        </code>{" "}
        at{" "}
        <code class="mono">
          <Untrusted text={w.ref.slice(0, 12)} />
        </code>
        {w.policy_digest !== null ? <div class="muted mono small">{w.policy_digest}</div> : null}
      </dd>
      <dt>replayed</dt>
      <dd>
        {w.policy_digest === null ? (
          <span class="muted">nothing: the candidate was not replayed (see below)</span>
        ) : (
          <>
            {w.replayed} past verdict{w.replayed === 1 ? "" : "s"} (receipts 1–{w.through_seq}): <strong>{w.loosened} looser</strong>, {w.tightened} stricter
            {w.not_replayed > 0 ? <>, {w.not_replayed} not replayed</> : null}
          </>
        )}
      </dd>
      {w.policy_digest === null ? null : (
        <>
          <dt>settings</dt>
          <dd>
            {w.looser_settings === undefined ? (
              <span class="muted">not compared with the running policy (proposed before they were)</span>
            ) : (
              <>
                <strong>{w.looser_settings} looser</strong> than the running policy
              </>
            )}
          </dd>
        </>
      )}
    </>
  );
}

/** The candidate's problems, or a pointer to the table in the comment below. */
export function WhatIfSections(props: { whatIf: WhatIf; asComment: boolean }) {
  const w = props.whatIf;
  if (w.policy_digest === null) {
    return (
      <>
        <h2>Why the policy is not valid</h2>
        <UntrustedCodeList items={w.problems} />
      </>
    );
  }
  return (
    <>
      <h2>What would change</h2>
      <p class="muted">
        Each past verdict's kept evidence was judged again under the candidate, as of its own time.{" "}
        {props.asComment ? "The comment below lists every verdict that would change, looser first; " : "A commit status carries only the counts; "}
        <code>patchwarden replay --policy FILE</code> on the Iskra host lists them all.
      </p>
    </>
  );
}
