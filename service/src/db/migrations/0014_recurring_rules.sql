CREATE TYPE "public"."recurring_frequency" AS ENUM('weekly', 'monthly', 'yearly');--> statement-breakpoint
CREATE TABLE "recurring_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"kind" "transaction_kind" NOT NULL,
	"title" varchar(200) NOT NULL,
	"amount_cents" bigint NOT NULL,
	"category_id" integer NOT NULL,
	"notes" varchar(2000),
	"payment_method" varchar(50),
	"frequency" "recurring_frequency" NOT NULL,
	"every" smallint DEFAULT 1 NOT NULL,
	"weekday" smallint,
	"month_day" smallint,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"occurrence_limit" integer,
	"next_occurrence_on" date,
	"last_occurrence_on" date,
	"paused_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_rules_amount_range" CHECK ("recurring_rules"."amount_cents" > 0 and "recurring_rules"."amount_cents" < 100000000000),
	CONSTRAINT "recurring_rules_title_not_blank" CHECK (length(btrim("recurring_rules"."title")) > 0),
	CONSTRAINT "recurring_rules_every_range" CHECK ("recurring_rules"."every" between 1 and 99),
	CONSTRAINT "recurring_rules_weekday" CHECK (("recurring_rules"."frequency" = 'weekly') = ("recurring_rules"."weekday" is not null) and ("recurring_rules"."weekday" is null or "recurring_rules"."weekday" between 1 and 7)),
	CONSTRAINT "recurring_rules_month_day" CHECK (("recurring_rules"."frequency" = 'monthly') = ("recurring_rules"."month_day" is not null) and ("recurring_rules"."month_day" is null or "recurring_rules"."month_day" between 1 and 31 or "recurring_rules"."month_day" = -1)),
	CONSTRAINT "recurring_rules_ends_after_start" CHECK ("recurring_rules"."ends_on" is null or "recurring_rules"."ends_on" >= "recurring_rules"."starts_on"),
	CONSTRAINT "recurring_rules_occurrence_limit" CHECK ("recurring_rules"."occurrence_limit" is null or ("recurring_rules"."ends_on" is not null and "recurring_rules"."occurrence_limit" between 1 and 1000)),
	CONSTRAINT "recurring_rules_next_in_bounds" CHECK ("recurring_rules"."next_occurrence_on" is null or ("recurring_rules"."next_occurrence_on" >= "recurring_rules"."starts_on" and ("recurring_rules"."ends_on" is null or "recurring_rules"."next_occurrence_on" <= "recurring_rules"."ends_on"))),
	CONSTRAINT "recurring_rules_next_after_last" CHECK ("recurring_rules"."next_occurrence_on" is null or "recurring_rules"."last_occurrence_on" is null or "recurring_rules"."next_occurrence_on" > "recurring_rules"."last_occurrence_on")
);
--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "recurring_rule_id" integer;--> statement-breakpoint
ALTER TABLE "recurring_rules" ADD CONSTRAINT "recurring_rules_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_rules" ADD CONSTRAINT "recurring_rules_category_owner_kind_fk" FOREIGN KEY ("category_id","user_id","kind") REFERENCES "public"."categories"("id","user_id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recurring_rules_due_idx" ON "recurring_rules" USING btree ("next_occurrence_on") WHERE "recurring_rules"."paused_at" is null and "recurring_rules"."next_occurrence_on" is not null;--> statement-breakpoint
CREATE INDEX "recurring_rules_user_next_idx" ON "recurring_rules" USING btree ("user_id","next_occurrence_on");--> statement-breakpoint
CREATE INDEX "recurring_rules_category_id_idx" ON "recurring_rules" USING btree ("category_id");--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_recurring_rule_id_recurring_rules_id_fk" FOREIGN KEY ("recurring_rule_id") REFERENCES "public"."recurring_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transactions_recurring_rule_id_idx" ON "transactions" USING btree ("recurring_rule_id") WHERE "transactions"."recurring_rule_id" is not null;