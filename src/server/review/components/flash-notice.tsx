import type { Flash } from "../flash.js";
import { Untrusted } from "./untrusted.js";

export function FlashNotice(props: { flash: Flash | null }) {
  if (props.flash === null) return null;
  return (
    <div class={`notice ${props.flash.kind === "done" ? "ok" : "bad"}`} role="status">
      <Untrusted text={props.flash.text} />
    </div>
  );
}
