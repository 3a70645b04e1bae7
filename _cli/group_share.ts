// Copyright 2026 the httpserver authors. MIT license.
/**
 * Handing a folder to people: `--archive`, `--listing`, `--qr`,
 * `--qr-host`, `--open`, `--random-path`, in a `sharing` section of
 * `--help`.
 * @module
 */
import { type OptionGroup, UsageError } from "./parser.ts";

/** What the sharing flags ask for. */
export interface ShareCliConfig {
  /** `?zip`, `?tar`, `?tar=gz` on folder URLs. */
  archive: boolean;
  /** The listing page (`python`, `rich`), or null for Python's only. */
  listing: "python" | "rich" | null;
  /** Print a QR code of the URL for other devices. */
  qr: boolean;
  /** The address the QR code uses instead of the detected one. */
  qrHost: string | null;
  /** Open the URL in the default browser. */
  open: boolean;
  /** Serve under a random secret path. */
  randomPath: boolean;
}

/** The `sharing` group. */
export const shareGroup: OptionGroup<ShareCliConfig> = {
  add(parser) {
    const group = parser.add_argument_group({ title: "sharing" });
    group.add_argument("--archive", {
      dest: "archive",
      action: "store_true",
      help: "let folders be downloaded whole: FOLDER/?zip (stored zip, " +
        "ZIP64 past 4 GiB), ?tar, ?tar=gz; the listing links them",
    });
    group.add_argument("--listing", {
      dest: "listing",
      metavar: "{python,rich}",
      choices: ["python", "rich"],
      help: "python: Python's listing page; rich: sortable columns, a " +
        "filter, breadcrumbs, light and dark. Both also answer ?json and " +
        "Accept: application/json with a JSON list (default: Python's page " +
        "only)",
    });
    group.add_argument("--qr", {
      dest: "qr",
      action: "store_true",
      help: "print a QR code of the URL for other devices after the banner " +
        "(needs --allow-sys=networkInterfaces unless --bind or --qr-host " +
        "names the address)",
    });
    group.add_argument("--qr-host", {
      dest: "qrHost",
      metavar: "ADDR",
      help: "the address or host name to put in the QR code",
    });
    group.add_argument("--open", {
      dest: "open",
      action: "store_true",
      help: "open the URL in the default browser (needs " +
        "--allow-run=xdg-open, open on macOS, cmd on Windows)",
    });
    group.add_argument("--random-path", {
      dest: "randomPath",
      action: "store_true",
      help: "serve under a secret random path (128 bits) printed in the " +
        "banner; every other path is 404",
    });
  },
  read(values) {
    const qrHost: string | null = values.qrHost ?? null;
    if (qrHost !== null && !/^[A-Za-z0-9.:\-[\]%]+$/.test(qrHost)) {
      throw new UsageError(`invalid --qr-host ${JSON.stringify(qrHost)}`);
    }
    return {
      archive: values.archive,
      listing: values.listing ?? null,
      qr: values.qr || qrHost !== null,
      qrHost: qrHost?.replace(/^\[(.*)\]$/, "$1") ?? null,
      open: values.open,
      randomPath: values.randomPath,
    };
  },
};
