import { assetPath } from "../assets.ts";
import type { IconName } from "../brand/icons.ts";

/**
 * An icon from the sprite, hidden from screen readers: the text beside it, or the `aria-label`
 * of an icon-only button, names the action.
 */
export function Icon({ name, class: extra }: { name: IconName; class?: string }) {
  return (
    <svg class={extra ? `bi ${extra}` : "bi"} aria-hidden="true" focusable="false">
      <use href={`${assetPath("icons.svg")}#${name}`} />
    </svg>
  );
}

/** An empty list's message: what is missing, and what to do next. */
export function EmptyState({ icon = "inbox", children }: { icon?: IconName; children: unknown }) {
  return (
    <div class="et-empty">
      <Icon name={icon} />
      {children}
    </div>
  );
}
