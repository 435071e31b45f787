// HTTPS-proxy mode: CONNECT tunnels to *.jottacloud.com:443 on the emulator's own port, TLS terminated locally.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ensureTlsMaterial, type TlsKeyType } from './tls-material.js';

/** Options for {@link attachProxy}. */
export interface AttachProxyOptions {
  /** Request handler for decrypted requests (the Host header names the jottacloud host). */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Where the CA and leaf live (reused across restarts); a temp dir removed on close when absent. */
  readonly tlsDir?: string;
  /** Host the emulator listens on (informational; tunnels never leave this process). */
  readonly host: string;
  /** Key algorithm for newly generated keys (default 'ec'). */
  readonly keyType?: TlsKeyType;
  /** Idle keep-alive timeout inside tunnels, ms (default 75 s: longer than Go's 60 s idle timeout in rclone). */
  readonly keepAliveTimeoutMs?: number;
}

/** A running proxy attachment. */
export interface ProxyAttachment {
  /** Path of the CA certificate (PEM) clients must trust (rclone --ca-cert). */
  readonly caCertPath: string;
  /** Stops accepting tunnels and destroys the open ones. */
  close(): Promise<void>;
}

/** true for CONNECT targets we terminate: jottacloud.com or one label under it, port 443. */
export function isJottacloudTarget(target: string): boolean {
  const m = /^([^:[\]]+):(\d+)$/.exec(target);
  if (m === null || m[2] !== '443') return false;
  return /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)?jottacloud\.com\.?$/i.test(m[1] ?? '');
}

/** Writes a final plain HTTP response on a raw socket and closes it. */
function refuse(socket: Duplex, status: string, message: string): void {
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Makes `server` answer `CONNECT <x>.jottacloud.com:443` with 200 and serve the tunnel over TLS (HTTP/1.1 only)
 * to `handler`; other CONNECT targets get 403 and no connection is ever made anywhere.
 */
export async function attachProxy(server: Server, opts: AttachProxyOptions): Promise<ProxyAttachment> {
  const tempDir = opts.tlsDir === undefined ? mkdtempSync(join(tmpdir(), 'jotta-emulator-tls-')) : undefined;
  const tlsDir = opts.tlsDir ?? tempDir ?? '';
  const material = await ensureTlsMaterial({ dir: tlsDir, ...(opts.keyType ? { keyType: opts.keyType } : {}) });
  const tlsServer = createHttpsServer({
    cert: material.leafChainPem,
    key: material.leafKeyPem,
    ALPNProtocols: ['http/1.1'],
    minVersion: 'TLSv1.2',
    keepAlive: true,
    requestTimeout: 0,
  }, opts.handler);
  tlsServer.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 75_000;
  tlsServer.on('tlsClientError', (_err, tlsSocket) => tlsSocket.destroy());
  const tunnels = new Set<Duplex>();
  let closed = false;

  const onConnect = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '';
    if (closed) {
      refuse(socket, '503 Service Unavailable', 'emulator proxy is shutting down');
      return;
    }
    if (!isJottacloudTarget(target)) {
      refuse(socket, '403 Forbidden', `jotta-emulator proxy only tunnels to *.jottacloud.com:443, not ${JSON.stringify(target)}`);
      return;
    }
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    (socket as Socket).setNoDelay?.(true);
    socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tlsServer.emit('connection', socket);
  };
  server.on('connect', onConnect);

  return {
    caCertPath: material.caCertPath,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      server.off('connect', onConnect);
      for (const socket of tunnels) socket.destroy();
      tunnels.clear();
      tlsServer.closeAllConnections();
      if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
