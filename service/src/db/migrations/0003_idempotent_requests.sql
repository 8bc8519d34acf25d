CREATE TABLE "idempotent_requests" (
	"user_id" integer NOT NULL,
	"key" varchar(100) NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"location" text,
	"flash" text,
	"body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotent_requests_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "idempotent_requests" ADD CONSTRAINT "idempotent_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotent_requests_user_created_idx" ON "idempotent_requests" USING btree ("user_id","created_at");