import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../env.ts";
import { Card } from "./form.tsx";
import { Icon } from "./icon.tsx";
import { CsrfField, page } from "./layout.tsx";

/** A page that asks before something that cannot be taken back: what it does, then the choice. */
export function confirmPage(
  c: Context<AppEnv>,
  o: {
    title: string;
    question: string;
    /** Where the confirming form posts. */
    action: string;
    confirmLabel: string;
    /** Where "Keep it" leads. */
    cancelHref: string;
    children: Child;
  },
) {
  return page(
    c,
    o.title,
    <div class="row justify-content-center">
      <div class="col-md-7">
        <Card title={o.question}>
          {o.children}
          <form method="post" action={o.action}>
            <CsrfField c={c} />
            <button class="btn btn-danger" type="submit">
              <Icon name="trash" /> {o.confirmLabel}
            </button>{" "}
            <a class="btn btn-link" href={o.cancelHref}>
              Keep it
            </a>
          </form>
        </Card>
      </div>
    </div>,
  );
}
