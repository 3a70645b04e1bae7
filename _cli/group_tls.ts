// Copyright 2026 the httpserver authors. MIT license.
/**
 * Python's TLS flags, `--tls-cert`, `--tls-key` and `--tls-password-file`,
 * with the checks of Python's `main()`. Reading the password file is left
 * to the caller, after its permission check.
 * @module
 */
import { type OptionGroup, UsageError } from "./parser.ts";

/** The TLS files; HTTPS when a certificate is given. */
export interface TlsConfig {
  /** TLS certificate chain file; enables HTTPS. */
  tlsCert: string | null;
  /** TLS key file. */
  tlsKey: string | null;
  /** File holding the TLS key's password. */
  tlsPasswordFile: string | null;
}

/** `--tls-cert`, `--tls-key` and `--tls-password-file`. */
export const tlsGroup: OptionGroup<TlsConfig> = {
  add(parser) {
    parser.add_argument("--tls-cert", {
      dest: "tlsCert",
      metavar: "PATH",
      help: "path to the TLS certificate chain file",
    });
    parser.add_argument("--tls-key", {
      dest: "tlsKey",
      metavar: "PATH",
      help: "path to the TLS key file",
    });
    parser.add_argument("--tls-password-file", {
      dest: "tlsPasswordFile",
      metavar: "PATH",
      help: "path to the password file for the TLS key",
    });
  },
  read(values) {
    const config: TlsConfig = {
      tlsCert: values.tlsCert || null,
      tlsKey: values.tlsKey || null,
      tlsPasswordFile: values.tlsPasswordFile || null,
    };
    if (!config.tlsCert && config.tlsKey) {
      throw new UsageError("--tls-key requires --tls-cert to be set");
    }
    if (config.tlsPasswordFile && !config.tlsCert) {
      throw new UsageError("--tls-password-file requires --tls-cert to be set");
    }
    return config;
  },
};
