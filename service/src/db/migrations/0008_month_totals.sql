CREATE TABLE "month_totals" (
	"user_id" integer NOT NULL,
	"month" date NOT NULL,
	"category_id" integer NOT NULL,
	"kind" "transaction_kind" NOT NULL,
	"cents" bigint NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "month_totals_user_id_month_category_id_kind_pk" PRIMARY KEY("user_id","month","category_id","kind"),
	CONSTRAINT "month_totals_month_first_day" CHECK (extract(day from "month_totals"."month") = 1)
);
--> statement-breakpoint
ALTER TABLE "month_totals" ADD CONSTRAINT "month_totals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "month_totals" ADD CONSTRAINT "month_totals_category_owner_kind_fk" FOREIGN KEY ("category_id","user_id","kind") REFERENCES "public"."categories"("id","user_id","kind") ON DELETE no action ON UPDATE no action;