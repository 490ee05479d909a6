/**
 * The console's static files, read once at start-up and served from memory under content-hashed names
 * (`/ui/assets/<name>.<hash>.<ext>`) with immutable caching: a new release changes the names, so browsers
 * never run a stale script. Nothing is fetched from a CDN: the files come from the installed packages
 * (htmx, Pico, uPlot) and from src/ui/assets (the console's own script and stylesheet).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import { StructregError } from "../core/errors.js";
import { consoleSourceDir } from "./source-dir.js";

/** One served file. */
export interface Asset {
  /** URL path under /ui/assets/. */
  file: string;
  type: string;
  body: Buffer;
}

/** Logical names the templates use, mapped to their hashed URLs. */
export type AssetUrls = Record<AssetName, string>;
type AssetName = "htmx" | "pico" | "uplot" | "uplotCss" | "js" | "css";

const require = createRequire(import.meta.url);

function packageFile(pkg: string, path: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), path);
}

const SOURCES: Record<AssetName, () => string> = {
  htmx: () => packageFile("htmx.org", "dist/htmx.min.js"),
  pico: () => packageFile("@picocss/pico", "css/pico.min.css"),
  uplot: () => packageFile("uplot", "dist/uPlot.iife.min.js"),
  uplotCss: () => packageFile("uplot", "dist/uPlot.min.css"),
  js: () => join(consoleSourceDir(), "assets", "console.js"),
  css: () => join(consoleSourceDir(), "assets", "console.css"),
};

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** Reads every asset and names it by its content hash. */
export function loadAssets(): { urls: AssetUrls; byFile: Map<string, Asset> } {
  const byFile = new Map<string, Asset>();
  const urls = {} as AssetUrls;
  for (const [name, locate] of Object.entries(SOURCES) as Array<[AssetName, () => string]>) {
    const path = locate();
    const body = readFileSync(path);
    const ext = path.slice(path.lastIndexOf(".") + 1);
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    const file = `${name}.${hash}.${ext}`;
    byFile.set(file, { file, type: TYPES[ext] ?? "application/octet-stream", body });
    urls[name] = `/ui/assets/${file}`;
  }
  return { urls, byFile };
}

/** Serves the assets (no token needed: they are the public files of the package). */
export function registerAssets(app: FastifyInstance, byFile: ReadonlyMap<string, Asset>): void {
  app.get<{ Params: { file: string } }>(
    "/assets/:file",
    { config: { scope: "none", consoleScope: "none" }, schema: { hide: true } },
    async (request, reply) => {
      const asset = byFile.get(request.params.file);
      if (asset === undefined) {
        throw new StructregError("SR_ROUTE_NOT_FOUND", "No such console asset", {
          hint: "asset names carry a content hash: reload the page for the current ones",
        });
      }
      return reply
        .header("cache-control", "public, max-age=31536000, immutable")
        .type(asset.type)
        .send(asset.body);
    },
  );
}
