import { html } from "hono/html";
import { assetPath } from "../assets.ts";
import type { IconName } from "../brand/icons.ts";

/**
 * An icon from the sprite, hidden from screen readers: the text beside it, or the `aria-label`
 * of an icon-only button, names the action.
 */
export function Icon({ name, class: extra }: { name: IconName; class?: string }) {
  // A template, not JSX: once hono/jsx has rendered an <svg> or a <head>, every element of every
  // later page asks which namespace it is in, a fifth of a page's rendering.
  return html`<svg class="${extra ? `bi ${extra}` : "bi"}" aria-hidden="true" focusable="false"><use href="${assetPath("icons.svg")}#${name}"></use></svg>`;
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
