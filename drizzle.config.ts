import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./service/src/db/schema.ts",
  out: "./service/src/db/migrations",
});
