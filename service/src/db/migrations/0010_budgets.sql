CREATE TABLE "budgets" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"category_id" integer,
	"kind" "transaction_kind" DEFAULT 'expense' NOT NULL,
	"month" date NOT NULL,
	"amount_cents" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budgets_user_category_month_key" UNIQUE NULLS NOT DISTINCT("user_id","category_id","month"),
	CONSTRAINT "budgets_expense_only" CHECK ("budgets"."kind" = 'expense'),
	CONSTRAINT "budgets_month_first_day" CHECK (extract(day from "budgets"."month") = 1),
	CONSTRAINT "budgets_amount_range" CHECK ("budgets"."amount_cents" is null or ("budgets"."amount_cents" > 0 and "budgets"."amount_cents" < 100000000000))
);
--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_category_owner_kind_fk" FOREIGN KEY ("category_id","user_id","kind") REFERENCES "public"."categories"("id","user_id","kind") ON DELETE cascade ON UPDATE no action;