// Prepared statements: built once per database and key, under a name PostgreSQL keeps whole.
import { describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.ts";
import { placeholdersFor, prepared, shapeOf } from "../src/db/prepared.ts";

const fakeQuery = (name: string) => ({ name, execute: async () => [] });

describe("prepared", () => {
  it("builds a key's query once per database", () => {
    const one = {} as Db;
    const two = {} as Db;
    const names: string[] = [];
    const build = (name: string) => {
      names.push(name);
      return fakeQuery(name);
    };
    const first = prepared(one, "list_categories", build);
    expect(prepared(one, "list_categories", build)).toBe(first);
    expect(prepared(two, "list_categories", build)).not.toBe(first);
    expect(names).toEqual(["list_categories", "list_categories"]);
  });

  it("names a long key by a digest, distinct and within 63 bytes", () => {
    const db = {} as Db;
    const keys = [
      "tx_page_amount-desc_userId,from,to,categoryId,kind,importId,pattern",
      "tx_page_amount-desc_userId,from,to,categoryId,kind,importId",
      "tx_page_amount-desc_userId,from,to,categoryId,kind,pattern",
    ];
    const names = keys.map((k) => prepared(db, k, fakeQuery).name);
    for (const name of names) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(new Set(names).size).toBe(keys.length);
    expect(prepared(db, "short_key", fakeQuery).name).toBe("short_key");
  });
});

describe("placeholdersFor and shapeOf", () => {
  it("gives a placeholder for each value present, and their names as the shape", () => {
    const values = { userId: 1, from: "2026-01-01" };
    const shape = shapeOf(values);
    const bound = placeholdersFor(values);
    expect(shape).toBe("userId,from");
    expect(Object.keys(bound)).toEqual(["userId", "from"]);
    expect(bound.userId).toMatchObject({ name: "userId" });
  });
});
