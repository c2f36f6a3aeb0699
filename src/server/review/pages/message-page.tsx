import type { Chrome } from "./layout.js";
import { renderPage } from "./layout.js";

/** Refusals and errors as a page a person can read: what happened, then what to do. */
export function messagePage(chrome: Chrome, view: { heading: string; message: string; hint?: string }) {
  return renderPage(
    chrome,
    <>
      <h1>{view.heading}</h1>
      <p class="notice bad">{view.message}</p>
      {view.hint !== undefined ? <p>{view.hint}</p> : null}
      <p>
        <a href="/review">Back to the proposals</a>
      </p>
    </>,
  );
}
