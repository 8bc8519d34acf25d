// A small YAML emitter for cloud-config: block mappings and sequences, file contents as literal
// blocks so they read as written on the instance, and everything else either plain (when no YAML
// 1.1 reader could take it for anything but a string) or double-quoted with JSON escapes, which
// YAML double-quoted scalars accept. The project has no YAML library of its own.

export type YamlValue =
  | string
  | number
  | boolean
  | null
  | YamlValue[]
  | { [key: string]: YamlValue };

const INDENT = "  ";
/** Plain scalars we emit: start with a letter or `/`, no `: `, ` #` or flow characters. */
const PLAIN = /^[A-Za-z/][A-Za-z0-9_./+@-]*$/;
/** Words a YAML 1.1 reader (PyYAML, which cloud-init uses) turns into booleans or null. */
const RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;
/** Characters a literal block may hold as is: tab, printable ASCII, printable non-ASCII. */
const LITERAL_SAFE = /^[\t\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufffd]*$/;
/** Line breaks to YAML 1.1 (NEL, LS, PS) that JSON.stringify leaves raw. */
const YAML_BREAKS = /[\u0085\u2028\u2029]/g;

/** The YAML text of `value` as a document body (no `---`), ending with a newline. */
export function toYaml(value: YamlValue): string {
  return `${emit(value, 0).join("\n")}\n`;
}

function emit(value: YamlValue, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isBlock(item)) {
        // "- " followed by the first line of the nested block, the rest indented to match.
        const [first = "", ...rest] = emit(item, depth + 1);
        return [`${pad}- ${first.slice(pad.length + INDENT.length)}`, ...rest];
      }
      return [`${pad}- ${scalar(item, depth + 1)}`];
    });
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const k = PLAIN.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
      if (isBlock(item)) return [`${pad}${k}:`, ...emit(item, depth + 1)];
      return [`${pad}${k}: ${scalar(item, depth + 1)}`];
    });
  }
  return [`${pad}${scalar(value, depth)}`];
}

/** A non-empty mapping or sequence, written on the lines below its key or dash. */
function isBlock(value: YamlValue): value is YamlValue[] | { [key: string]: YamlValue } {
  return (
    value !== null &&
    typeof value === "object" &&
    (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)
  );
}

function scalar(value: YamlValue, depth: number): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`yaml: cannot write the number ${value}`);
    return String(value);
  }
  if (typeof value !== "string") return emit(value, depth).join("\n");
  if (PLAIN.test(value) && !RESERVED.test(value)) return value;
  if (value.includes("\n") && literalSafe(value)) {
    const pad = INDENT.repeat(depth);
    const body = value.endsWith("\n") ? value.slice(0, -1) : value;
    const lines = body.split("\n").map((line) => (line === "" ? "" : `${pad}${line}`));
    return [value.endsWith("\n") ? "|" : "|-", ...lines].join("\n");
  }
  return JSON.stringify(value).replace(
    YAML_BREAKS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Whether a literal block gives back exactly `text`: known characters only, at most one
 * trailing newline, a first line that sets the indentation (not empty, no leading blank), no
 * line ending in whitespace.
 */
function literalSafe(text: string): boolean {
  if (!LITERAL_SAFE.test(text) || text.endsWith("\n\n")) return false;
  const lines = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  if (lines[0] === "" || /^[ \t]/.test(lines[0] ?? "")) return false;
  return lines.every((line) => !/[ \t]$/.test(line));
}
