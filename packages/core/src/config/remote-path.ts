// Remote path syntax (rclone fs/fspath): `remote:path`, `:backend,opt=val:path`, local paths, and rooted joins.

import { invalidArgument } from '../fs/errors.js';

/** A parsed path: a local path, or a configured / on-the-fly remote with connection-string parameters. */
export type ParsedRemote =
  | { kind: 'local'; path: string }
  | {
      kind: 'remote';
      /** Config name as written: `myremote` or `:memory` (on-the-fly). */
      name: string;
      /** Backend type for on-the-fly remotes (`:memory` → `memory`); configured remotes resolve it from config. */
      backendType?: string;
      /** Connection-string parameters in order of appearance (`remote,a=1,b:` → `{a: '1', b: 'true'}`). */
      params: Record<string, string>;
      /** Path inside the remote (`\` turned into `/` on Windows). */
      path: string;
    };

/** Optional settings for {@link parseRemotePath}. */
export interface ParseRemoteOptions {
  /** Windows enables drive letters (`C:`) and `\` → `/`. @default process.platform */
  platform?: NodeJS.Platform;
}

/** rclone's error texts (fs/fspath), exported for callers that match on them. */
export const remotePathErrors = {
  invalidCharacters: 'config name contains invalid characters - may only contain `0-9`, `A-Z`, `a-z`, `_`, `-`, `.` and space',
  cantBeEmpty: "can't use empty string as a path",
  cantStartWithDash: 'config name starts with `-`',
  badConfigParam: 'config parameters may only contain `0-9`, `A-Z`, `a-z` and `_`',
  emptyConfigParam: "config parameters can't be empty",
  configNameEmpty: "config name can't be empty",
  configName: 'config name needs a trailing `:`',
  param: 'config parameter must end with `,` or `:`',
  value: 'unquoted config value must end with `,` or `:`',
  quotedValue: 'unterminated quoted config value',
  afterQuote: 'expecting `:` or `,` or another quote after a quote',
} as const;

const CONFIG_NAME = /^[\w. -]+$/;
const REMOTE_NAME = /^:?[\w. -]+$/;
const PARAM_CHAR = /^[A-Za-z0-9_]$/;

const fail = (msg: string): never => {
  throw invalidArgument(msg);
};

/** Validates a name for a new config section (rclone `CheckConfigName`); throws INVALID_ARGUMENT. */
export function checkConfigName(name: string): void {
  if (!CONFIG_NAME.test(name)) fail(remotePathErrors.invalidCharacters);
  if (name.startsWith('-')) fail(remotePathErrors.cantStartWithDash);
}

const toSlash = (p: string, platform: NodeJS.Platform): string => (platform === 'win32' ? p.replaceAll('\\', '/') : p);

type State = 'name' | 'param' | 'value' | 'quoted' | 'afterQuote' | 'done';

/**
 * Parses a command-line path exactly like rclone v1.60 `fspath.Parse`; errors are INVALID_ARGUMENT with
 * rclone's texts (see {@link remotePathErrors}).
 */
export function parseRemotePath(text: string, opts: ParseRemoteOptions = {}): ParsedRemote {
  return parseDetailed(text, opts).parsed;
}

/** The parse plus rclone's `ConfigString` (everything before the terminating `:`, `""` for local paths). */
function parseDetailed(text: string, opts: ParseRemoteOptions): { parsed: ParsedRemote; configString: string } {
  const platform = opts.platform ?? process.platform;
  if (text === '') fail(remotePathErrors.cantBeEmpty);
  const local = (): { parsed: ParsedRemote; configString: string } => ({ parsed: { kind: 'local', path: toSlash(text, platform) }, configString: '' });
  if (!text.includes(':')) return local();
  let state: State = 'name';
  let name = '';
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  let prev = 0;
  let param = '';
  let quote = '';
  let doubled = false;
  let i = 0;
  const setParam = (value: string): void => {
    Object.defineProperty(params, param, { value, enumerable: true, writable: true, configurable: true });
  };
  scan: for (; i < text.length; i++) {
    const c = text[i] ?? '';
    switch (state) {
      case 'name':
        if (i === 0 && c === ':') continue;
        if (c === '/' || c === '\\') {
          if (text[0] === ':') fail(remotePathErrors.invalidCharacters);
          return local();
        }
        if (c === ':' || c === ',') {
          name = text.slice(0, i);
          if (name === '' || name === ':') fail(remotePathErrors.configNameEmpty);
          if (!REMOTE_NAME.test(name)) fail(remotePathErrors.invalidCharacters);
          prev = i + 1;
          if (c === ':') {
            if (platform === 'win32' && /^[A-Za-z]$/.test(name)) return local();
            state = 'done';
            break scan;
          }
          state = 'param';
        }
        break;
      case 'param':
        if (c === ':' || c === ',' || c === '=') {
          param = text.slice(prev, i);
          if (param === '') fail(remotePathErrors.emptyConfigParam);
          prev = i + 1;
          if (c === '=') {
            state = 'value';
            break;
          }
          setParam('true');
          if (c === ':') {
            state = 'done';
            break scan;
          }
        } else if (!PARAM_CHAR.test(c)) {
          fail(remotePathErrors.badConfigParam);
        }
        break;
      case 'value':
        if (c === "'" || c === '"') {
          if (i === prev) {
            quote = c;
            state = 'quoted';
            prev = i + 1;
            doubled = false;
          }
        } else if (c === ':' || c === ',') {
          setParam(text.slice(prev, i));
          prev = i + 1;
          if (c === ':') {
            state = 'done';
            break scan;
          }
          state = 'param';
        }
        break;
      case 'quoted':
        if (c === quote) state = 'afterQuote';
        break;
      case 'afterQuote':
        if (c === ':' || c === ',') {
          const value = text.slice(prev, i - 1);
          setParam(doubled ? value.replaceAll(quote + quote, quote) : value);
          prev = i + 1;
          if (c === ':') {
            state = 'done';
            break scan;
          }
          state = 'param';
        } else if (c === quote) {
          state = 'quoted';
          doubled = true;
        } else {
          fail(remotePathErrors.afterQuote);
        }
        break;
    }
  }
  const endErrors: Record<Exclude<State, 'done'>, string> = {
    name: remotePathErrors.configName,
    param: remotePathErrors.param,
    value: remotePathErrors.value,
    quoted: remotePathErrors.quotedValue,
    afterQuote: remotePathErrors.afterQuote,
  };
  if (state !== 'done') fail(endErrors[state]);
  const parsed: ParsedRemote = { kind: 'remote', name, params: { ...params }, path: toSlash(text.slice(i + 1), platform) };
  if (name.startsWith(':')) parsed.backendType = name.slice(1);
  return { parsed, configString: text.slice(0, i) };
}

/** Go `path.Clean`: lexical cleaning; `..` cannot climb above a leading `/`; empty → `.`. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  if (rooted) return `/${body}`;
  return body === '' ? '.' : body;
}

/** Go `path.Join`: joins non-empty elements and cleans; all empty → `""`. */
export function joinPath(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '');
  return parts.length === 0 ? '' : cleanPath(parts.join('/'));
}

/** Cleans `p` as if rooted so `..` cannot escape, keeping a leading `/` only if it had one (rclone makeAbsolute). */
export function cleanRooted(p: string): string {
  const abs = joinPath('/', p);
  return !p.startsWith('/') && abs.startsWith('/') ? abs.slice(1) : abs;
}

/**
 * Joins `filePath` onto `remote` (`remote:dir` or a local path) like rclone `fspath.JoinRootPath`: the file
 * path cannot escape the root, `remote:` + `""` stays `remote:`, and a leading `//` (UNC) is preserved.
 */
export function joinRootPath(remote: string, filePath: string, opts: ParseRemoteOptions = {}): string {
  const platform = opts.platform ?? process.platform;
  const base = toSlash(remote, platform);
  if (filePath === '') return base;
  const rel = cleanRooted(toSlash(filePath, platform));
  if (base.startsWith('//')) return `/${joinPath(base, rel)}`;
  let prefix = '';
  let root = base;
  try {
    const { parsed, configString } = parseDetailed(base, { platform });
    if (parsed.kind === 'remote') {
      prefix = `${configString}:`;
      root = parsed.path;
    }
  } catch {
    // not parseable: treat as a plain path
  }
  let joined = joinPath(root, rel);
  if (prefix !== '' && joined === '.') joined = '';
  return prefix + joined;
}
