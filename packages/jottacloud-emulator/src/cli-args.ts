// Parses the jotta-emulator command line into EmulatorOptions (no side effects; errors are thrown as Error).

import { DEFAULT_BEHAVIOUR, type Behaviour, type EmulatorOptions } from './options.js';
import { parseFaultSpec } from './faults/spec.js';

/** Usage text of the CLI. */
export const USAGE = `Usage: jotta-emulator [options]

Serves a local Jottacloud (JFS, api, OIDC and an HTTPS proxy on one port). Prints one JSON line
{"url","proxy","caCert","loginToken"} when ready and serves until SIGTERM/SIGINT.

Options:
  --host HOST               interface to listen on (default 127.0.0.1)
  --port N                  port, 0 = any free port (default 0)
  --data-dir DIR            persist the account in DIR (default: memory only)
  --tls-dir DIR             where the proxy keeps its CA and certificates (default DIR/tls or a temp dir)
  --seed N                  seed for faults and generated ids (default 1)
  --fault SPEC              inject faults: <op>=<kind>[:<probability>|@<nth>] (repeatable)
                              op:   allocate upload download list token any
                              kind: 500 503 429 reset truncate slow expire
  --capacity BYTES          account capacity (suffixes K M G T, binary), -1 = unlimited (default)
  --token-lifetime SECONDS  access token lifetime (default 3600)
  --username NAME           internal username of a new account (default derived from the seed)
  --login-name NAME         login name in personal login tokens (default jsync@example.com)
  --behaviour KEY=VALUE     set a behaviour switch (repeatable; see the README)
  --no-proxy                do not start the HTTPS-proxy mode
  -h, --help                show this help
`;

/** Parses `12`, `10M`, `1.5GiB`, `-1` as bytes. */
export function parseBytes(text: string): number {
  if (text === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTP]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) throw new Error(`invalid size ${JSON.stringify(text)}`);
  const exponent = m[2] ? 'KMGTP'.indexOf(m[2].toUpperCase()) + 1 : 0;
  const n = Math.floor(Number(m[1]) * 1024 ** exponent);
  if (!Number.isSafeInteger(n)) throw new Error(`size out of range: ${JSON.stringify(text)}`);
  return n;
}

function parseInteger(name: string, text: string): number {
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new Error(`invalid ${name}: ${JSON.stringify(text)}`);
  return Number(text);
}

/** Parses one `key=value` behaviour switch according to the type of its default. */
export function parseBehaviour(text: string): Partial<Behaviour> {
  const eq = text.indexOf('=');
  const key = text.slice(0, eq) as keyof Behaviour;
  const value = text.slice(eq + 1);
  if (eq < 0 || !(key in DEFAULT_BEHAVIOUR)) throw new Error(`unknown behaviour ${JSON.stringify(text)} (keys: ${Object.keys(DEFAULT_BEHAVIOUR).join(', ')})`);
  const def = DEFAULT_BEHAVIOUR[key];
  if (typeof def === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new Error(`behaviour ${key} takes true or false`);
    return { [key]: value === 'true' };
  }
  if (typeof def === 'number') return { [key]: parseInteger(`behaviour ${key}`, value) };
  if (key === 'plusInPath' && value !== 'space' && value !== 'literal') throw new Error('behaviour plusInPath takes space or literal');
  return { [key]: value };
}

/** Parses argv (without node and script) into options, or `{ help: true }`. */
export function parseCliArgs(argv: readonly string[]): { help: true } | { help: false; options: EmulatorOptions } {
  const o: EmulatorOptions = {};
  const faults: string[] = [];
  let behaviour: Partial<Behaviour> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--no-proxy') {
      o.proxy = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (flag !== arg) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`flag needs an argument: ${flag}`);
      return v;
    };
    switch (flag) {
      case '--host': o.host = value(); break;
      case '--port': o.port = parseInteger('port', value()); break;
      case '--data-dir': o.dataDir = value(); break;
      case '--tls-dir': o.tlsDir = value(); break;
      case '--seed': o.seed = parseInteger('seed', value()); break;
      case '--fault': {
        const spec = value();
        parseFaultSpec(spec);
        faults.push(spec);
        break;
      }
      case '--capacity': o.capacity = parseBytes(value()); break;
      case '--token-lifetime': o.tokenLifetimeSeconds = parseInteger('token lifetime', value()); break;
      case '--username': o.username = value(); break;
      case '--login-name': o.loginName = value(); break;
      case '--behaviour':
      case '--behavior': behaviour = { ...behaviour, ...parseBehaviour(value()) }; break;
      default: throw new Error(`unknown flag: ${arg}`);
    }
  }
  if (faults.length) o.faults = faults;
  if (Object.keys(behaviour).length) o.behaviour = behaviour;
  return { help: false, options: o };
}
