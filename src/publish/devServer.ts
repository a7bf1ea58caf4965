/**
 * The dev server: node:http on localhost serving a site folder, with the reload script
 * injected into HTML (devHtml.ts) and a server-sent event stream that tells open pages to
 * reload after a rebuild, or shows them why it failed. No dependency: a static server and an
 * event stream are a few dozen lines, and the built site needs nothing more.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { devHtml, EVENTS_PATH } from "./devHtml.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv; charset=utf-8",
  ".woff2": "font/woff2",
};

export interface DevServer {
  url: string;
  /** Tells every open page to reload. */
  reload(): void;
  /** Shows every open page why the last rebuild failed. */
  failure(message: string): void;
  /** Pages listening for reloads now. */
  listening(): number;
  close(): Promise<void>;
}

/** Serves `dir` on `host:port` (port 0: any free port). */
export async function startDevServer(options: {
  dir: string;
  host: string;
  port: number;
}): Promise<DevServer> {
  const root = resolve(options.dir);
  const clients = new Set<ServerResponse>();
  const server = createServer(async (request, response) => {
    const path = decodePath(request.url ?? "/");
    if (path === EVENTS_PATH) {
      response.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      response.write("retry: 1000\n\n");
      clients.add(response);
      request.on("close", () => clients.delete(response));
      return;
    }
    const file = path === undefined ? undefined : await find(root, path);
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end(`not found: ${request.url}\n`);
      return;
    }
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    const body = await readFile(file);
    response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    response.end(type.startsWith("text/html") ? devHtml(body.toString("utf8")) : body);
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.host, () => done());
  });
  const address = server.address() as AddressInfo;
  const send = (event: string, data: unknown) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  return {
    url: `http://${options.host}:${address.port}/`,
    reload: () => send("reload", {}),
    failure: (message) => send("failure", { message }),
    listening: () => clients.size,
    async close() {
      for (const client of clients) client.end();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** The URL's path, decoded; undefined when it cannot be (a malformed escape). */
function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, "http://localhost").pathname);
  } catch {
    return undefined;
  }
}

/** The file for a path under `root` (a folder serves its index.html); never outside `root`. */
async function find(root: string, path: string): Promise<string | undefined> {
  const candidate = resolve(join(root, path));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  for (const file of [candidate, join(candidate, "index.html")]) {
    try {
      if ((await stat(file)).isFile()) return file;
    } catch {
      // try the next
    }
  }
  return undefined;
}
