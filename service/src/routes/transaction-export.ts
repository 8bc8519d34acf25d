// GET /transactions/export.csv: the filtered list as CSV, streamed.
import { Hono } from "hono";
import { csvLine, EXPORT_COLUMNS, exportLine } from "../csv/export.ts";
import { exportRows } from "../data/transaction-export.ts";
import type { TransactionFilter } from "../data/transactions.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { filterQuery } from "../validation.ts";
import { errorPage } from "../views/errors.tsx";

export function transactionExportRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/transactions/export.csv", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const parsed = filterQuery.safeParse(Object.fromEntries(new URL(c.req.url).searchParams));
    if (!parsed.success)
      return errorPage(
        c,
        422,
        "The filter is not valid: correct it on the list, then export again.",
      );
    const f = parsed.data;
    const filter: TransactionFilter = {
      from: f.from,
      to: f.to,
      categoryId: f.category,
      kind: f.kind,
      q: f.q,
      importId: f.import,
    };
    const encoder = new TextEncoder();
    const rows = exportRows(db, user.id, filter);
    let headerSent = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLine(EXPORT_COLUMNS)));
          return;
        }
        let chunk = "";
        for (let i = 0; i < 500; i++) {
          const next = await rows.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += exportLine(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="transactions-${todayIn(user.timeZone)}.csv"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });

  return app;
}
