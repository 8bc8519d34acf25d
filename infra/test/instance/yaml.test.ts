import { describe, expect, it } from "vitest";
import { toYaml, type YamlValue } from "../../instance/yaml.ts";
import { requireTool, run } from "./support/tools.ts";

// PyYAML is what cloud-init reads user data with; it comes with the cloud-init package.
const hasPyYaml = requireTool("cloud-init", "cloud-init (brings python3-yaml)");

/** The value PyYAML reads from `text`, through JSON. */
function pyYamlLoad(text: string): unknown {
  const r = run(
    "python3",
    ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"],
    text,
  );
  if (r.status !== 0) throw new Error(`PyYAML refused the text: ${r.stderr}\n${text}`);
  return JSON.parse(r.stdout);
}

const tricky: YamlValue = {
  words: ["yes", "No", "on", "OFF", "y", "n", "true", "null", "~", "", " ", "-", "- x", "? x"],
  numbers: ["0644", "0o644", "1e3", "12", ".5", "0x1F", "1_000", "12:30:00", 0, 3.5, -1],
  punctuation: [
    "a: b",
    "a #b",
    "#x",
    "@x",
    "*x",
    "&x",
    "!x",
    "%x",
    "`x",
    "'x'",
    '"x"',
    "{a}",
    "[a]",
  ],
  paths: [
    "/usr/local/bin/et-fetch",
    "root:root",
    "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-x",
  ],
  escapes: [
    "back\\slash",
    "tab\there",
    "bell\u0007",
    "nul\u0000",
    "crlf\r\n",
    "line\u2028sep",
    "nel\u0085",
    "ps\u2029",
  ],
  unicode: ["café", "€ 12,50", "😀"],
  blocks: [
    "#!/bin/sh\necho hi\n",
    "no trailing newline\nsecond",
    "two trailing\n\n",
    "\nleading newline\n",
    "  indented first line\nx\n",
    "\tfirst tab\n",
    "trailing space \nx\n",
    "breaks\u2028in\u0085a\u2029block\n",
    "inner\n\n  indented\n\tand tab\n# not a comment\n- not a list\nkey: not a map\n",
  ],
  nested: [[["deep"]], { "": "empty key", "key with space": 1, yes: "quoted key" }],
  empties: { list: [], map: {}, nothing: null, flag: false },
};

describe.runIf(hasPyYaml)("toYaml", () => {
  it("gives back exactly the value it was given when PyYAML reads it", () => {
    expect(pyYamlLoad(toYaml(tricky))).toEqual(tricky);
  });

  it("writes file contents as literal blocks, so they read as written", () => {
    const text = toYaml({ content: '#!/bin/sh\nset -eu\necho "$1"\n' });
    expect(text).toBe('content: |\n  #!/bin/sh\n  set -eu\n  echo "$1"\n');
  });

  it("quotes what YAML 1.1 would read as a boolean or a number", () => {
    expect(toYaml(["yes", "off", "0644", "12"])).toBe('- "yes"\n- "off"\n- "0644"\n- "12"\n');
  });
});

describe("toYaml without PyYAML", () => {
  it("refuses numbers YAML cannot hold", () => {
    expect(() => toYaml({ n: Number.NaN })).toThrow(/cannot write the number NaN/);
  });
});
