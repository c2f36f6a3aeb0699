import type { ProposalState } from "../../../queue/proposal.js";
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

export function StateLabel(props: { state: ProposalState }) {
  return <span class={`state ${props.state}`}>{props.state}</span>;
}

export function SeverityLabel(props: { severity: Severity }) {
  return <span class={`sev ${props.severity}`}>{props.severity}</span>;
}
