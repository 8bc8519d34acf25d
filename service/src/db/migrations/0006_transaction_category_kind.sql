ALTER TABLE "transactions" DROP CONSTRAINT "transactions_category_owner_fk";
--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_category_owner_kind_fk" FOREIGN KEY ("category_id","user_id","kind") REFERENCES "public"."categories"("id","user_id","kind") ON DELETE no action ON UPDATE no action;