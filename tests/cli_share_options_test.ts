// Copyright 2026 the httpserver authors. MIT license.
/** The CLI's helpers for the upload and authentication flags. */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { parseSize } from "../_cli/group_upload.ts";
import { cleartextWarning, collectAccounts } from "../_cli/group_auth.ts";

Deno.test("CLI sizes: bytes and binary units", () => {
  assertEquals(parseSize("1048576"), 1048576);
  assertEquals(parseSize("500M"), 500 * 1024 ** 2);
  assertEquals(parseSize("10G"), 10 * 1024 ** 3);
  assertEquals(parseSize("1.5GiB"), 1.5 * 1024 ** 3);
  assertEquals(parseSize("64kb"), 65536);
  for (const bad of ["", "M", "-1", "0", "10X", "1e9", "ten"]) {
    throws(() => parseSize(bad), TypeError, bad);
  }
});

Deno.test("CLI accounts: --auth pairs over --auth-file lines, bad hashes named", () => {
  const file = {
    path: "users",
    text:
      "ann:$2y$05$wtyzX275DkLuRAyGWkoOb.O6uPMAvQIoKe3Zy6MLelk0x8/xAh6eK\nbob:pw\n",
  };
  assertEquals(collectAccounts(["bob:new:pw", "cy:x"], file), [
    ["ann", "$2y$05$wtyzX275DkLuRAyGWkoOb.O6uPMAvQIoKe3Zy6MLelk0x8/xAh6eK"],
    ["bob", "new:pw"],
    ["cy", "x"],
  ]);
  throws(
    () => collectAccounts(["nocolon"], null),
    /--auth expects USER:PASSWORD/,
  );
  throws(
    () => collectAccounts([], { path: "f", text: "x:$apr1$abc$def" }),
    /--auth-file 'f': line 1: Unsupported password hash/,
  );
  try {
    collectAccounts(["ann:secret-not-shown"], { path: "f", text: "oops" });
  } catch (error) {
    assertEquals(String(error).includes("secret-not-shown"), false);
  }
});

Deno.test("CLI warns about passwords in the clear off loopback", () => {
  assertEquals(cleartextWarning(true, false, "127.0.0.1"), null);
  assertEquals(cleartextWarning(true, false, "::1"), null);
  assertEquals(cleartextWarning(true, true, null), null);
  assertEquals(cleartextWarning(false, false, null), null);
  assertEquals(
    cleartextWarning(true, false, null)?.startsWith(
      "warning: --auth over plain HTTP",
    ),
    true,
  );
  assertEquals(cleartextWarning(true, false, "192.168.1.5") !== null, true);
});
