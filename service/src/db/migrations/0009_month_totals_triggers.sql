-- month_totals is kept by PostgreSQL itself, so every writer is covered: forms, category moves,
-- bulk INSERT ... SELECT, imports, restores and the cascade when a user is deleted.
-- Statement-level triggers read the statement's transition tables, group the changed rows by
-- (user, month, category, kind) and apply the grouped deltas in one upsert per statement. The
-- upsert's SELECT is ORDER BY the key, so concurrent writers lock totals rows in one order and
-- cannot deadlock on them. A row whose count reaches zero is deleted in the same trigger.
CREATE FUNCTION month_totals_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its own trigger declares.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO month_totals AS m (user_id, month, category_id, kind, cents, count)
    SELECT n.user_id, date_trunc('month', n.occurred_on::timestamp)::date, n.category_id, n.kind,
           sum(n.amount_cents)::bigint, count(*)::int
    FROM new_rows n
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (user_id, month, category_id, kind)
    DO UPDATE SET cents = m.cents + excluded.cents, count = m.count + excluded.count;
    RETURN NULL;
  END IF;

  IF TG_OP = 'UPDATE' THEN
    INSERT INTO month_totals AS m (user_id, month, category_id, kind, cents, count)
    SELECT d.user_id, d.month, d.category_id, d.kind, sum(d.cents)::bigint, sum(d.n)::int
    FROM (
      SELECT n.user_id, date_trunc('month', n.occurred_on::timestamp)::date AS month,
             n.category_id, n.kind, n.amount_cents AS cents, 1 AS n
      FROM new_rows n
      UNION ALL
      SELECT o.user_id, date_trunc('month', o.occurred_on::timestamp)::date,
             o.category_id, o.kind, -o.amount_cents, -1
      FROM old_rows o
    ) d
    GROUP BY 1, 2, 3, 4
    -- An edit of the title or notes nets to zero: no lock, no write.
    HAVING sum(d.cents) <> 0 OR sum(d.n) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (user_id, month, category_id, kind)
    DO UPDATE SET cents = m.cents + excluded.cents, count = m.count + excluded.count;
  ELSE
    INSERT INTO month_totals AS m (user_id, month, category_id, kind, cents, count)
    SELECT o.user_id, date_trunc('month', o.occurred_on::timestamp)::date, o.category_id, o.kind,
           -sum(o.amount_cents)::bigint, -count(*)::int
    FROM old_rows o
    -- In the cascade of a user's deletion the user's totals are (or are about to be) gone with
    -- it: subtracting from them would re-insert rows for a user that no longer exists.
    WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id)
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (user_id, month, category_id, kind)
    DO UPDATE SET cents = m.cents + excluded.cents, count = m.count + excluded.count;
  END IF;

  -- Only keys that lost rows can reach zero; they are already locked by the upsert above.
  DELETE FROM month_totals m
  USING old_rows o
  WHERE m.count = 0
    AND m.user_id = o.user_id
    AND m.month = date_trunc('month', o.occurred_on::timestamp)::date
    AND m.category_id = o.category_id
    AND m.kind = o.kind;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION month_totals_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM month_totals;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER transactions_month_totals_insert
AFTER INSERT ON transactions
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION month_totals_apply();
--> statement-breakpoint
CREATE TRIGGER transactions_month_totals_update
AFTER UPDATE ON transactions
REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION month_totals_apply();
--> statement-breakpoint
CREATE TRIGGER transactions_month_totals_delete
AFTER DELETE ON transactions
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION month_totals_apply();
--> statement-breakpoint
CREATE TRIGGER transactions_month_totals_truncate
AFTER TRUNCATE ON transactions
FOR EACH STATEMENT EXECUTE FUNCTION month_totals_truncate();
--> statement-breakpoint
-- The triggers' lock on transactions (held until this migration commits) makes writers wait, so
-- the backfill sees every committed row and every later write goes through the triggers.
INSERT INTO month_totals (user_id, month, category_id, kind, cents, count)
SELECT user_id, date_trunc('month', occurred_on::timestamp)::date, category_id, kind,
       sum(amount_cents)::bigint, count(*)::int
FROM transactions
GROUP BY 1, 2, 3, 4;
