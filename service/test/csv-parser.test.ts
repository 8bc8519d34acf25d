import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseAmount } from "../src/csv/amount.ts";
import { parseDate } from "../src/csv/dates.ts";
import { csvLine, exportLine, neutraliseFormula } from "../src/csv/export.ts";
import { RecordReader, readRecords } from "../src/csv/records.ts";
import type { CsvSettings } from "../src/csv/settings.ts";

const cents = (text: string, decimal: "." | "," = ".") => {
  const r = parseAmount(text, decimal);
  return r.ok === true ? r.cents : r.ok === false ? r.reason : "empty";
};

describe("amounts", () => {
  test.each([
    ["12.50", ".", 1250n],
    ["-1.234,56 €", ",", -123456n],
    ["(12.50)", ".", -1250n],
    ["12.50-", ".", -1250n],
    ["USD 1,200", ".", 120000n],
    ["1'234.50", ".", 123450n],
    ["1 234,5", ",", 123450n],
    ["CHF -0,05", ",", -5n],
    ["+3", ".", 300n],
    ["12.500", ".", 1250n],
    ["-$1,200.00", ".", -120000n],
  ] as const)("%s with decimal %s is %s cents", (text, decimal, expected) => {
    expect(cents(text, decimal)).toBe(expected);
  });

  test.each([
    ["1,2,3", ","],
    ["12.345", "."],
    ["1,23,456.00", "."],
    ["abc", "."],
    ["--5", "."],
    ["(-5)", "."],
    ["1.2.3", "."],
  ] as const)("%s with decimal %s is refused with its text", (text, decimal) => {
    expect(cents(text, decimal)).toContain(text);
  });

  test("an empty field is neither an amount nor an error", () => {
    expect(cents("  ")).toBe("empty");
  });

  test("any amount written with thousands, either mark, a symbol and any negative style reads back exactly", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n }),
        fc.constantFrom<"." | ",">(".", ","),
        fc.constantFrom("", "'", " "),
        fc.constantFrom("", "€", "USD ", " CHF"),
        fc.constantFrom("lead", "trail", "paren"),
        (value, decimal, sep, currency, style) => {
          const abs = value < 0n ? -value : value;
          const units = String(abs / 100n).replace(
            /\B(?=(\d{3})+(?!\d))/g,
            sep || (decimal === "." ? "," : "."),
          );
          const body = `${units}${decimal}${String(abs % 100n).padStart(2, "0")}`;
          const signed =
            value >= 0n
              ? body
              : style === "lead"
                ? `-${body}`
                : style === "trail"
                  ? `${body}-`
                  : `(${body})`;
          const text = currency.startsWith(" ") ? `${signed}${currency}` : `${currency}${signed}`;
          expect(cents(text, decimal)).toBe(value);
        },
      ),
    );
  });
});

describe("dates", () => {
  test.each([
    ["2024-02-29", "YYYY-MM-DD", "2024-02-29"],
    ["29/02/2024", "DD/MM/YYYY", "2024-02-29"],
    ["2/29/24", "M/D/YY", "2024-02-29"],
    ["05 Jan 2024", "DD Mon YYYY", "2024-01-05"],
    ["5 jan 2024", "DD Mon YYYY", "2024-01-05"],
    ["01.12.99", "DD.MM.YY", "2099-12-01"],
    ["2024/03/04", "YYYY/MM/DD", "2024-03-04"],
  ])("%s in %s is %s", (text, format, iso) => {
    expect(parseDate(text, format)).toBe(iso);
  });

  test.each([
    ["29/02/2023", "DD/MM/YYYY"],
    ["13/13/2024", "DD/MM/YYYY"],
    ["2024-01-05", "DD.MM.YYYY"],
    ["05 Foo 2024", "DD Mon YYYY"],
    ["1/2/2024", "D/M/YY"],
  ])("%s does not fit %s", (text, format) => {
    expect(parseDate(text, format)).toBeUndefined();
  });
});

describe("records", () => {
  test("quoted fields hold delimiters, quotes and line breaks of any kind", () => {
    const text = 'a;"b;c";"say ""hi"""\r\n"x\r\ny";"p\rq";z\rlast;;\n';
    expect(readRecords(text, ";")).toEqual([
      { line: 1, fields: ["a", "b;c", 'say "hi"'] },
      { line: 2, fields: ["x\ny", "p\nq", "z"] },
      { line: 5, fields: ["last", "", ""] },
    ]);
  });

  test("skipped lines and blank lines keep the line numbers right", () => {
    const records = readRecords('Account "DE";1\n\nh1,h2\n1,2', ",", 2);
    expect(records).toEqual([
      { line: 3, fields: ["h1", "h2"] },
      { line: 4, fields: ["1", "2"] },
    ]);
  });

  test("an unclosed quote at the end is reported", () => {
    const reader = new RecordReader(",");
    reader.push('a,"open');
    expect(reader.end().unclosed).toBe(true);
  });

  const field = fc.string({
    unit: fc.constantFrom("a", "Z", " ", ",", '"', "\r", "\n", "é", "'", "="),
  });

  test("any fields written as a CSV line read back the same, however the text is cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        (rows, piece) => {
          const text = rows.map(csvLine).join("");
          const reader = new RecordReader(",");
          const read = [];
          for (let i = 0; i < text.length; i += piece)
            read.push(...reader.push(text.slice(i, i + piece)));
          read.push(...reader.end().records);
          // Line breaks inside fields come back as LF.
          expect(read.map((r) => r.fields)).toEqual(
            rows.map((r) => r.map((f) => f.replace(/\r\n?/g, "\n"))),
          );
        },
      ),
    );
  });
});

describe("export lines", () => {
  test.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'quoted"])(
    "%j gets one leading quote",
    (value) => {
      expect(neutraliseFormula(value)).toBe(`'${value}`);
    },
  );

  test("plain text, dates and amounts are written as they are", () => {
    expect(
      exportLine({
        occurredOn: "2024-01-02",
        kind: "expense",
        amountCents: 123456n,
        title: 'Dinner, "Luigi\'s"',
        categoryName: "Food",
        notes: null,
        paymentMethod: "=cmd",
      }),
    ).toBe('2024-01-02,"Dinner, ""Luigi\'s""",-1234.56,Food,,\'=cmd\r\n');
  });
});

describe("streaming", () => {
  test("rows come out while the file is still being read (an endless file gives its first rows)", async () => {
    const { parseStatement } = await import("../src/csv/rows.ts");
    const encoder = new TextEncoder();
    let piecesRead = 0;
    const endless = async function* () {
      yield encoder.encode("Date,Title,Amount\n");
      for (let i = 0; ; i++) {
        piecesRead++;
        yield encoder.encode(`2024-01-${String((i % 28) + 1).padStart(2, "0")},Row ${i},-1.00\n`);
      }
    };
    const lines: number[] = [];
    for await (const r of parseStatement(endless, {
      encoding: "utf-8",
      delimiter: ",",
      skipRows: 0,
      dateColumn: "Date",
      dateFormat: "YYYY-MM-DD",
      titleColumns: ["Title"],
      amount: { column: "Amount" },
      decimal: ".",
      expenseSign: "negative",
    })) {
      lines.push(r.line);
      if (lines.length === 3) break;
    }
    expect(lines).toEqual([2, 3, 4]);
    expect(piecesRead).toBeLessThan(10);
  });
});

describe("hostile rows", () => {
  const settings: CsvSettings = {
    encoding: "utf-8",
    delimiter: ",",
    skipRows: 0,
    dateColumn: "Date",
    dateFormat: "YYYY-MM-DD",
    titleColumns: ["Title"],
    amount: { column: "Amount" },
    decimal: ".",
    expenseSign: "negative",
  };
  const parse = async (text: string) => {
    const { parseStatement } = await import("../src/csv/rows.ts");
    const { bytesSource } = await import("../src/csv/decode.ts");
    const out = [];
    for await (const r of parseStatement(bytesSource(new TextEncoder().encode(text)), settings))
      out.push(r.ok ? r.line : `${r.line}: ${r.reason}`);
    return out;
  };

  test("a quote never closed and a NUL character are bad rows, with their lines", async () => {
    expect(
      await parse(
        'Date,Title,Amount\n2024-01-01,A\u0000B,-1\n2024-01-02,ok,-1\n2024-01-03,"open,-1\n2024-01-04,x,-1\n',
      ),
    ).toEqual([
      "2: the row holds a NUL character (is the file a CSV text file?)",
      3,
      '4: a quoted field that starts here is never closed (a " is missing)',
    ]);
  });

  test("settings that name a column the header lacks are refused before any row, naming the columns", async () => {
    await expect(parse("Datum,Text,Betrag\n2024-01-01,x,-1\n")).rejects.toThrow(
      '--date-column "Date" is not a column: the header\'s columns are "Datum", "Text", "Betrag"',
    );
  });
});
