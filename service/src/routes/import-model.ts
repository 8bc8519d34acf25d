// What the preview page and the confirm both need: a staged import's settings completed by the
// guesser, and the file read under them with the user's categories, rules and choices.
import { bytesSource } from "../csv/decode.ts";
import { type Guess, guessSettings } from "../csv/guess.ts";
import { MAX_WEB_ROWS, type Preview, previewStatement, tooManyRows } from "../csv/preview.ts";
import { SettingsError } from "../csv/rows.ts";
import type { CsvSettings } from "../csv/settings.ts";
import { completeSettings } from "../csv/settings-form.ts";
import { listCategories } from "../data/categories.ts";
import { listImportRules, type RuleRow } from "../data/import-rules.ts";
import type { StagedSettings } from "../data/import-staging.ts";
import type { Db } from "../db/client.ts";
import type { Category } from "../db/schema.ts";

export interface PreviewModel {
  guess: Guess;
  settings?: CsvSettings | undefined;
  preview?: Preview | undefined;
  /** What stops the confirm, each saying what to change. */
  problems: string[];
  categories: Category[];
  rules: RuleRow[];
}

export async function buildPreview(
  db: Db,
  userId: number,
  staged: { settings: StagedSettings; bytes: Uint8Array },
): Promise<PreviewModel> {
  const source = bytesSource(staged.bytes);
  const [guess, categories, rules] = await Promise.all([
    guessSettings(source, staged.settings.given),
    listCategories(db, userId),
    listImportRules(db, userId),
  ]);
  const model: PreviewModel = { guess, problems: [...guess.problems], categories, rules };
  if (!guess.settings) return model;
  const settings = completeSettings(guess.settings);
  model.settings = settings;
  try {
    model.preview = await previewStatement(source, settings, {
      categories,
      rules: rules.map((r) => ({ contains: r.contains, kind: r.kind, categoryId: r.categoryId })),
      map: staged.settings.categoryMap,
    });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    model.problems.push(...err.problems);
    return model;
  }
  if (model.preview.rowCount > MAX_WEB_ROWS)
    model.problems.push(tooManyRows(model.preview.rowCount));
  else if (model.preview.rowCount === model.preview.badCount)
    model.problems.push("No row of the file can be imported under these settings.");
  return model;
}
