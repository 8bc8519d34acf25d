DROP INDEX "categories_user_id_name_key";--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "kind" "transaction_kind" DEFAULT 'expense' NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "color" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_user_id_lower_name_key" ON "categories" USING btree ("user_id",lower("name"));--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_id_user_id_kind_key" UNIQUE("id","user_id","kind");--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_color_range" CHECK ("categories"."color" >= 0 and "categories"."color" < 10);--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_name_not_blank" CHECK (length(btrim("categories"."name")) > 0);