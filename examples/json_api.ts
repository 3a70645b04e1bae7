// Copyright 2026 the httpserver authors. MIT license.
/**
 * A small JSON API on `BaseHTTPRequestHandler`: a list of items kept in
 * memory, with keep-alive (`HTTP/1.1`), JSON error bodies and a bounded
 * request body.
 *
 * ```sh
 * deno run --allow-net examples/json_api.ts [port]
 * curl -i http://localhost:8080/items -H 'Content-Type: application/json' -d '{"title":"Milk"}'
 * curl http://localhost:8080/items          # [{"id":1,"title":"Milk"}]
 * curl -X DELETE http://localhost:8080/items/1
 * ```
 * @module
 */
import { BaseHTTPRequestHandler, HTTPServer } from "@x/httpserver";

/** One stored item. */
export interface Item {
  /** Assigned by the server. */
  id: number;
  /** What the client posted. */
  title: string;
}

/** The items the handlers share: id -> item. */
export const items: Map<number, Item> = new Map();

/** `/items`: GET lists, POST adds; `/items/<id>`: GET reads, DELETE removes. */
export class JsonApiHandler extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  /** Where items are kept; every connection's handler shares it. */
  store: Map<number, Item> = items;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes = 64 * 1024;

  async doGET(): Promise<void> {
    const id = this.#itemId();
    if (id === null) return await this.sendJson(200, [...this.store.values()]);
    const item = this.store.get(id);
    if (item) await this.sendJson(200, item);
    else await this.sendJson(404, { error: "Not found" });
  }

  async doPOST(): Promise<void> {
    if (this.#route() !== "/items") {
      return await this.sendJson(404, { error: "Not found" });
    }
    const type = this.headers.get("Content-Type", "").split(";")[0]!.trim();
    if (type.toLowerCase() !== "application/json") {
      return await this.sendJson(415, { error: "Send application/json" });
    }
    const body = await this.rfile.read(this.maxBodyBytes + 1);
    if (body.length > this.maxBodyBytes) {
      this.closeConnection = true; // the rest of the body stays unread
      return await this.sendJson(413, { error: "Body too large" });
    }
    let input: unknown;
    try {
      input = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return await this.sendJson(400, { error: "Body is not JSON" });
    }
    const title = (input as { title?: unknown } | null)?.title;
    if (typeof title !== "string" || title === "") {
      return await this.sendJson(422, { error: "Need a non-empty title" });
    }
    const id = Math.max(0, ...this.store.keys()) + 1;
    const item = { id, title };
    this.store.set(id, item);
    await this.sendJson(201, item, { Location: `/items/${id}` });
  }

  async doDELETE(): Promise<void> {
    const id = this.#itemId();
    if (id !== null && this.store.delete(id)) {
      this.sendResponse(204);
      await this.endHeaders();
    } else await this.sendJson(404, { error: "Not found" });
  }

  /** Sends `value` as a JSON response with a `Content-Length`. */
  async sendJson(
    code: number,
    value: unknown,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const body = new TextEncoder().encode(JSON.stringify(value) + "\n");
    this.sendResponse(code);
    this.sendHeader("Content-Type", "application/json");
    this.sendHeader("Content-Length", String(body.length));
    for (const [name, v] of Object.entries(headers)) this.sendHeader(name, v);
    await this.endHeaders();
    if (this.command !== "HEAD") await this.wfile.write(body);
  }

  #route(): string {
    return new URL(this.path, "http://localhost").pathname.replace(/\/$/, "");
  }

  /** `null` for `/items`, the id for `/items/<id>`, else -1 (no such item). */
  #itemId(): number | null {
    const route = this.#route();
    if (route === "/items") return null;
    const match = route.match(/^\/items\/([0-9]{1,9})$/);
    return match ? Number(match[1]) : -1;
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 8080);
  const server = new HTTPServer(["localhost", port], JsonApiHandler);
  console.log("Starting server, use <Ctrl-C> to stop");
  console.log(`Serving on http://localhost:${server.serverPort}/items`);
  await server.serveForever();
}
