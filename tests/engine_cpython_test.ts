// Copyright 2026 the httpserver authors. MIT license.
// CPython's BaseHTTPServerTestCase, HTTP09ServerTestCase,
// SimpleHTTPServerTestCase and CGIHTTPServerTestCase again, on the
// Deno.serve engine: the same test modules, imported with the shared
// fixtures switched to DenoServeHTTPServer (tests/_util.ts `engine`). Cases
// that cannot hold there are skipped, each with its reason: a row of the
// README's "Differences from the listen engine". (BaseHTTPRequestHandlerTestCase
// drives a handler over an in-memory connection, with no server to switch.)
import { engine } from "./_util.ts";
import { DenoServeHTTPServer } from "../deno_serve_server.ts";

engine.name = "serve";
engine.ServerClass = DenoServeHTTPServer;

const DENO_400 = "Deno answers it with its own bare 400";
const STATUS = "Deno sends 200-599 only, with the standard reason phrase";
const FRAMING =
  "Deno writes content-length, date and connection itself, lower case, after the handler's header lines";

/** Test-name fragment -> why the case cannot hold on Deno.serve. */
const SKIPS: [string, string][] = [
  ["(test_version_invalid)", `an HTTP/9.9 request line: ${DENO_400}`],
  ["(test_version_none_get)", `an HTTP/0.9 request: ${DENO_400}`],
  ["(test_simple_get)", `an HTTP/0.9 request: ${DENO_400}`],
  ["(test_invalid_request)", `an HTTP/0.9 request: ${DENO_400}`],
  ["(test_single_request)", `an HTTP/0.9 request: ${DENO_400}`],
  ["before the version is known", `malformed request lines: ${DENO_400}`],
  ["(test_path_without_leading_slash)", `a target without "/": ${DENO_400}`],
  ["(test_no_leading_slash)", `a target without "/": ${DENO_400}`],
  [
    "(test_get_dir_redirect_location_domain_injection_bug)",
    "an absolute-form target reaches the handler in origin form",
  ],
  ["(test_internal_key_error)", `status 999: ${STATUS}`],
  ["(test_return_custom_status)", `status 999: ${STATUS}`],
  ["(test_return_explain_error)", `status 999: ${STATUS}`],
  ["(test_latin1_header)", `status 999: ${STATUS}`],
  ["(test_send_error)", `sendError(1xx): ${STATUS}; interim heads are dropped`],
  ["(test_invalid_requests)", `a custom reason phrase: ${STATUS}`],
  ["(test_invaliduri)", `a custom reason phrase: ${STATUS}`],
  [
    "(test_return_header_keep_alive)",
    "the handler's Connection header is dropped; Deno decides the connection",
  ],
  ["(test_head_via_send_error)", FRAMING],
  ["the error page as Python 3.14 does", FRAMING],
  ["(test_extra_response_headers_list_dir)", FRAMING],
  ["(test_extra_response_headers_get_file)", FRAMING],
  [
    "(test_accept)",
    "repeated request header lines arrive joined by Deno with a comma and a space",
  ],
];

const register = Deno.test;
function onServeEngine(def: Deno.TestDefinition): Deno.TestDefinition {
  const reason = SKIPS.find(([fragment]) => def.name.includes(fragment))?.[1];
  return {
    ...def,
    name: `${def.name} [Deno.serve engine${
      reason ? `; skipped: ${reason}` : ""
    }]`,
    ignore: def.ignore || reason !== undefined,
  };
}
// Every Deno.test() of the imported modules registers its case for this engine.
// deno-lint-ignore no-explicit-any
(Deno as any).test = (a: any, b?: any, c?: any) =>
  typeof a === "string"
    ? register(
      onServeEngine(
        typeof b === "function" ? { name: a, fn: b } : { ...b, name: a, fn: c },
      ),
    )
    : register(onServeEngine(a));
await import("./base_server_test.ts");
await import("./simple_server_test.ts");
await import("./cgi_cpython_test.ts");
(Deno as { test: typeof register }).test = register;
