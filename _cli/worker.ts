// Copyright 2026 the httpserver authors. MIT license.
/**
 * A CLI worker thread (`--workers`): rebuilds the share from the command
 * line's plain config and serves it on the shared port.
 * @module
 */
import { serveInWorker } from "../_engine/worker_side.ts";
import { startShare } from "../_share/run.ts";
import type { WorkerData } from "./workers.ts";

serveInWorker((data, port) => {
  const { config, password, secret } = data as WorkerData;
  const share = startShare({ ...config, port }, {
    secret,
    tlsPassword: password,
    events: false,
    reusePort: true,
  });
  return Promise.resolve({
    addr: { transport: "tcp", hostname: share.hostname, port: share.port },
    async stop(): Promise<void> {
      await share.stop();
    },
  });
});
