import type { Flash } from "../flash.js";

export function FlashNotice(props: { flash: Flash | null }) {
  if (props.flash === null) return null;
  return (
    <div class={`notice ${props.flash.kind === "done" ? "ok" : "bad"}`} role="status">
      {props.flash.text}
    </div>
  );
}
