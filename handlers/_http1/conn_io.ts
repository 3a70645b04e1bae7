// Copyright 2026 the httpserver authors. MIT license.
/** The handler's connection I/O, for the library's own handlers. @module */

/** The handler's gathering writer, for the library's own handlers. */
export const kOut: unique symbol = Symbol("httpserver.out");
/** The handler's body reader, for the library's own handlers. */
export const kBody: unique symbol = Symbol("httpserver.body");
/** The status code of the response being sent, for the library's own handlers. */
export const kStatus: unique symbol = Symbol("httpserver.status");
