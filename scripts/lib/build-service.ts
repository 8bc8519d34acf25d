// Builds the production artifact: one ESM file holding the service, its SQL migrations and its
// static assets. `npm run build` and the deployment call the same function, so what is tested
// is what ships.
import { createHash } from "node:crypto";
import { mkdirSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { ASSET_SOURCES, loadAssets, loadMigrations } from "../../service/src/embedded.ts";

export const REPO_ROOT = realpathSync(fileURLToPath(new URL("../../", import.meta.url)));

/** Where `npm run build` writes the artifact. */
export const DEFAULT_OUT_FILE = resolve(REPO_ROOT, "dist/expense-tracker.mjs");

const ENTRY_POINT = resolve(REPO_ROOT, "service/src/main.ts");
const EMBEDDED_MODULE = resolve(REPO_ROOT, "service/src/embedded.ts");

export interface BuildServiceOptions {
  /** File to write. Default `dist/expense-tracker.mjs` under the repository root. */
  outFile?: string;
}

export interface BuiltArtifact {
  /** Absolute path of the written file. */
  file: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  bytes: number;
}

/**
 * Bundles `service/src/main.ts` (the server, and the `migrate` command) for Node 24 into a single file that runs with no node_modules.
 * Deterministic: the same source gives the same bytes, wherever `outFile` is.
 */
export async function buildService(options: BuildServiceOptions = {}): Promise<BuiltArtifact> {
  const file = resolve(options.outFile ?? DEFAULT_OUT_FILE);
  const inlined = inlineEmbeddedFiles();
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [ENTRY_POINT],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    // JSX settings come from tsconfig.json (react-jsx with hono/jsx), as for tsc and tsx.
    tsconfig: resolve(REPO_ROOT, "tsconfig.json"),
    minify: true,
    sourcemap: false,
    legalComments: "eof",
    // Nothing is written by esbuild: the bytes are hashed and written here, in one place.
    write: false,
    outfile: file,
    logLevel: "silent",
    // The artifact always needs DATABASE_URL; config rejects a start without it.
    define: { __EMBEDDED_DB__: "false" },
    // pg requires `pg-native` only when asked for its native bindings, which the service never is.
    external: ["pg-native"],
    // Bundled CommonJS (pg) calls require() for Node built-ins; ESM has none of its own.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    plugins: [inlined.plugin, leaveOutEmbeddedDatabase()],
  });
  if (!inlined.used()) {
    throw new Error(`build: ${EMBEDDED_MODULE} was not bundled, so nothing was inlined`);
  }
  const output = result.outputFiles[0];
  if (!output || result.outputFiles.length !== 1) {
    throw new Error(`build: expected one output file, got ${result.outputFiles.length}`);
  }
  const bytes = output.contents;
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so a reader (or an upload) never sees half a file.
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, file);
  return { file, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}

/**
 * Replaces `service/src/embedded.ts`, which reads migrations and assets from disk, with a module
 * returning the same data inline, computed by the real module's own functions.
 */
function inlineEmbeddedFiles(): { plugin: Plugin; used: () => boolean } {
  let used = false;
  const plugin: Plugin = {
    name: "inline-embedded-files",
    setup(b) {
      b.onLoad({ filter: new RegExp(`^${escapeRegExp(EMBEDDED_MODULE)}$`) }, () => {
        used = true;
        return { contents: renderEmbeddedModule(), loader: "js", resolveDir: REPO_ROOT };
      });
    },
  };
  return { plugin, used: () => used };
}

/** Source of the inlined module; JSON keeps key and array order, so the text is deterministic. */
function renderEmbeddedModule(): string {
  return [
    `const MIGRATIONS = ${JSON.stringify(loadMigrations())};`,
    `const ASSETS = ${JSON.stringify(loadAssets())};`,
    `export const ASSET_SOURCES = ${JSON.stringify(ASSET_SOURCES)};`,
    // Copies, as reading from disk would give: callers may change what they get.
    "export function loadMigrations() { return structuredClone(MIGRATIONS); }",
    "export function loadAssets() { return structuredClone(ASSETS); }",
    "",
  ].join("\n");
}

/**
 * The embedded database (PGlite, several MB of WebAssembly) is only reachable without
 * DATABASE_URL, which this build refuses; its imports resolve to a module that throws instead.
 */
function leaveOutEmbeddedDatabase(): Plugin {
  return {
    name: "leave-out-embedded-database",
    setup(b) {
      b.onResolve(
        { filter: /^(@electric-sql\/pglite(-tools)?(\/.*)?|drizzle-orm\/pglite)$/ },
        (args) => ({
          path: args.path,
          namespace: "left-out",
        }),
      );
      b.onLoad({ filter: /.*/, namespace: "left-out" }, () => ({
        contents:
          'throw new Error("this build has no embedded database: set DATABASE_URL");\nexport {};\n',
        loader: "js",
      }));
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
