/** "Account ID" with "Copy ID": callers of site-level APIs send it in a header. */
export function AccountId(props: {
  readonly accountId: string;
  readonly onCopied: (message: string) => void;
}) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.accountId);
      props.onCopied('Account ID copied to the clipboard.');
    } catch {
      props.onCopied('Copying failed: select the Account ID and copy it with your keyboard.');
    }
  };
  return (
    <section class="account-id" aria-labelledby="account-id-heading">
      <h2 id="account-id-heading">Account ID</h2>
      <div class="account-id-row">
        <code class="account-id-value">{props.accountId}</code>
        <button type="button" class="secondary" onClick={copy}>
          Copy ID
        </button>
      </div>
      <p class="muted">Send it in the X-Account-Id header when you call site-level APIs with an API key.</p>
    </section>
  );
}
