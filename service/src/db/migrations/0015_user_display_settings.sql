CREATE TYPE "public"."date_format" AS ENUM('YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY');--> statement-breakpoint
CREATE TYPE "public"."number_format" AS ENUM('1,234.56', '1.234,56', '1 234,56');--> statement-breakpoint
CREATE TYPE "public"."theme" AS ENUM('auto', 'light', 'dark');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "theme" "theme" DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "date_format" date_format DEFAULT 'YYYY-MM-DD' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "number_format" "number_format" DEFAULT '1,234.56' NOT NULL;