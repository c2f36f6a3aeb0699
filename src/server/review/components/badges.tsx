import { describeLooserSettings, isWhatIf, whatIfLoosens, type Proposal, type ProposalState, type WhatIf } from "../../../queue/proposal.js";
import type { Severity } from "../../../verdict/reason-codes.js";
import type { VerdictName } from "../../../verdict/verdict-types.js";

// Words and a symbol, not colour alone: the badge reads the same in grey.
const VERDICT_TEXT: Record<VerdictName, string> = {
  eligible_repair_dry_run: "✓ eligible (dry run)",
  needs_human: "⚠ needs a human",
  blocked: "✕ blocked",
};

export function VerdictBadge(props: { verdict: VerdictName }) {
  return (
    <span class={`badge ${props.verdict}`} title={props.verdict}>
      {VERDICT_TEXT[props.verdict]}
    </span>
  );
}

/** The verdict, or for a policy what-if what the change would do, coloured like the verdict it resembles. */
export function OutcomeBadge(props: { proposal: Proposal }) {
  const p = props.proposal;
  if (!isWhatIf(p)) return <VerdictBadge verdict={p.verdict.verdict} />;
  const [tone, text] = whatIfBadge(p.what_if);
  return (
    <span class={`badge ${tone}`} title="policy what-if">
      {text}
    </span>
  );
}

/** Looser in any way (a past verdict, a setting, or settings never compared) is never "none looser". */
function whatIfBadge(w: WhatIf): [VerdictName, string] {
  if (w.policy_digest === null) return ["blocked", "✕ what-if: not replayed"];
  if (whatIfLoosens(w)) {
    const verdicts = w.loosened > 0 ? [`${w.loosened} looser`] : [];
    const settings = w.looser_settings === 0 ? [] : [describeLooserSettings(w)];
    return ["needs_human", `⚠ what-if: ${[...verdicts, ...settings].join(", ")}`];
  }
  if (w.not_replayed > 0) return ["needs_human", `⚠ what-if: ${w.not_replayed} not replayed`];
  return ["eligible_repair_dry_run", "✓ what-if: none looser"];
}

export function StateLabel(props: { state: ProposalState }) {
  return <span class={`state ${props.state}`}>{props.state}</span>;
}

export function SeverityLabel(props: { severity: Severity }) {
  return <span class={`sev ${props.severity}`}>{props.severity}</span>;
}
