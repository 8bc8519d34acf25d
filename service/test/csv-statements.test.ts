// The committed statements under fixtures/csv: each with the settings the guesser must produce
// and the totals its rows must come to.
import { readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, test } from "vitest";
import { bytesSource } from "../src/csv/decode.ts";
import { guessSettings } from "../src/csv/guess.ts";
import { parseStatement, type StatementRow } from "../src/csv/rows.ts";
import type { CsvSettings, PartialSettings } from "../src/csv/settings.ts";
import { centsToDecimal } from "../src/lib/money.ts";

const DIR = new URL("./fixtures/csv/", import.meta.url);

interface Expected {
  covers: string;
  given?: PartialSettings;
  ask?: string;
  settings: CsvSettings;
  totals: { rows: number; income: string; expense: string };
  first: Record<string, string>;
  bad?: { line: number; reason: string }[];
}

const statements = readdirSync(DIR)
  .filter((f) => f.endsWith(".csv"))
  .sort();

test("about a dozen statements are committed, each with its expectations", () => {
  expect(statements.length).toBeGreaterThanOrEqual(12);
  for (const f of statements) expect(readdirSync(DIR)).toContain(f.replace(/\.csv$/, ".json"));
});

async function importAll(bytes: Uint8Array, settings: CsvSettings) {
  const rows: StatementRow[] = [];
  const bad: { line: number; reason: string }[] = [];
  // Small pieces, so that characters, CRLFs and quotes are split across reads.
  for await (const r of parseStatement(bytesSource(bytes, 7), settings)) {
    if (r.ok) rows.push(r.row);
    else bad.push({ line: r.line, reason: r.reason });
  }
  return { rows, bad };
}

describe.each(statements)("%s", (file) => {
  const bytes = new Uint8Array(readFileSync(new URL(file, DIR)));
  const expected = JSON.parse(
    readFileSync(new URL(file.replace(/\.csv$/, ".json"), DIR), "utf8"),
  ) as Expected;

  if (expected.ask) {
    test("the guesser asks rather than guesses", async () => {
      const guess = await guessSettings(bytesSource(bytes));
      expect(guess.settings).toBeUndefined();
      expect(guess.problems.join("\n")).toContain(expected.ask);
    });
  }

  test(`the guesser produces its settings (${expected.covers})`, async () => {
    const guess = await guessSettings(bytesSource(bytes), expected.given ?? {});
    expect(guess.problems).toEqual([]);
    expect(guess.settings).toEqual(expected.settings);
  });

  test("its rows come to the expected totals, exactly", async () => {
    const { rows, bad } = await importAll(bytes, expected.settings);
    const sum = (kind: string) =>
      centsToDecimal(rows.filter((r) => r.kind === kind).reduce((s, r) => s + r.amountCents, 0n));
    expect({ rows: rows.length, income: sum("income"), expense: sum("expense") }).toEqual(
      expected.totals,
    );
    const first = rows[0] as StatementRow;
    expect({ ...first, amountCents: String(first.amountCents) }).toMatchObject(expected.first);
    expect(bad.map((b) => b.line)).toEqual((expected.bad ?? []).map((b) => b.line));
    bad.forEach((b, i) => {
      expect(b.reason).toContain(expected.bad?.[i]?.reason);
    });
  });
});

test("with no settings at all the guesser gets every statement right but two: the card statement's sign and the ambiguous dates", async () => {
  const wrong: string[] = [];
  for (const file of statements) {
    const bytes = new Uint8Array(readFileSync(new URL(file, DIR)));
    const expected = JSON.parse(
      readFileSync(new URL(file.replace(/\.csv$/, ".json"), DIR), "utf8"),
    );
    const guess = await guessSettings(bytesSource(bytes));
    const plain = JSON.parse(JSON.stringify(guess.settings ?? null));
    if (!isDeepStrictEqual(plain, expected.settings)) wrong.push(file);
  }
  expect(wrong).toEqual(["ambiguous-dates.csv", "card-pipe.csv"]);
});
