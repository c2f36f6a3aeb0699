export function ReadOnlyNotice() {
  return (
    <p class="notice warn">
      Read-only: no operator credentials are configured (<code>PATCHWARDEN_REVIEW_TOKENS</code>), so nothing can be approved or rejected here. Approve with <code>patchwarden queue approve ID</code>, or configure tokens to approve from this page.
    </p>
  );
}
