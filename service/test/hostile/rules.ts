/** Sentences the validators use, as the tests look for them. */
export const ID_RULE = "Choose a category from the list";
export const DATE_RULE_TEXT = "Enter a date as YYYY-MM-DD from 1900 to 2100";
export const UTF8 = "not UTF-8 text";
