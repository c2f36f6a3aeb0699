import { writeOutUnsafe } from "../../../markdown/unsafe-characters.js";

/**
 * Text someone else wrote (a bundle's summary, target and subjects, an evidence origin, a pushed
 * file name, a delivery id, a reason typed in a form), as the page shows it: every control,
 * bidirectional or invisible format character is written out (`\u202e`, `\u200b`), so the browser
 * can neither reorder it nor hide one, and two different names never look alike. The comment
 * strips the same characters; the page, where the operator decides, must not show more than it.
 * `multiline` keeps line breaks (a comment body in a `<pre>`); anything else is one line.
 */
export function Untrusted(props: { text: string; multiline?: boolean }) {
  return <>{props.multiline === true ? props.text.split("\n").map(writeOutUnsafe).join("\n") : writeOutUnsafe(props.text)}</>;
}

/** A list of such texts (files that could not be read, a policy's problems), each in code. */
export function UntrustedCodeList(props: { items: readonly string[] }) {
  return (
    <ul>
      {props.items.map((item) => (
        <li>
          <code>
            <Untrusted text={item} />
          </code>
        </li>
      ))}
    </ul>
  );
}
