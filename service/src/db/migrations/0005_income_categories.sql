-- Every existing account gets an income category, and its income moves there: until now all
-- categories were for expenses, and income was filed under one of them.
INSERT INTO "categories" ("user_id", "name", "kind", "color")
SELECT "id", 'Other income', 'income', 5 FROM "users"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE "transactions" AS t
SET "category_id" = c."id", "updated_at" = now()
FROM "categories" AS c
WHERE t."kind" = 'income'
  AND c."user_id" = t."user_id"
  AND c."kind" = 'income'
  AND lower(c."name") = 'other income';
