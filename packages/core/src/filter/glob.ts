// rclone's rsync-style glob compiler (fs/filter/glob.go semantics): glob → Go regexp text → JS RegExp.

import { invalidArgument, type JsyncError } from '../fs/errors.js';
import { goQuote } from '../util/units.js';
import { compileGoRegexp, GoRegexpError } from './go-regexp.js';

/** A compiled glob: rclone's regexp text (as `--dump filters` prints it) and the equivalent JS RegExp. */
export interface CompiledGlob {
  /** The Go regular expression rclone builds, e.g. `(^|/)[^/]*\.txt$`. */
  readonly source: string;
  /** A JS RegExp matching exactly what the Go one matches. */
  readonly regexp: RegExp;
}

const globError = (message: string): JsyncError => invalidArgument(message);

/**
 * The Go regular expression text rclone compiles `glob` to (`(?i)` prefix with `ignoreCase`).
 * Throws INVALID_ARGUMENT with rclone's message for malformed globs (`too many stars in "***"` …).
 */
export function globToRegexpSource(glob: string, ignoreCase = false): string {
  let re = ignoreCase ? '(?i)' : '';
  let g = glob;
  if (g.startsWith('/')) {
    g = g.slice(1);
    re += '^';
  } else {
    re += '(^|/)';
  }
  let stars = 0;
  const flushStars = (): void => {
    if (stars === 1) re += '[^/]*';
    else if (stars === 2) re += '.*';
    else if (stars > 2) throw globError(`too many stars in ${goQuote(g)}`);
    stars = 0;
  };
  const replaceLast = (ch: string): void => {
    re = re.slice(0, -1) + ch;
  };
  let inBraces = false;
  let inBrackets = 0;
  let escaped = false;
  let inRegexp = false; // inside {{ … }}
  let regexpEnding = false; // saw }} and waiting to see whether more } follow
  let prev = '';
  let cur = '';
  for (const c of g) {
    prev = cur;
    cur = c;
    if (escaped) {
      re += c;
      escaped = false;
      continue;
    }
    if (regexpEnding) {
      if (c === '}') {
        // `}}}`: the regexp takes the longest run, so the earlier `}` belongs to it
        replaceLast('}');
        re += ')';
        continue;
      }
      regexpEnding = false;
    }
    if (inRegexp) {
      if (c === '}' && prev === '}') {
        inRegexp = false;
        regexpEnding = true;
        replaceLast(')');
      } else {
        re += c;
      }
      continue;
    }
    if (c !== '*') flushStars();
    if (inBrackets > 0) {
      re += c;
      if (c === '[') inBrackets++;
      if (c === ']') inBrackets--;
      continue;
    }
    switch (c) {
      case '\\':
        re += c;
        escaped = true;
        break;
      case '*':
        stars++;
        break;
      case '?':
        re += '[^/]';
        break;
      case '[':
        re += c;
        inBrackets++;
        break;
      case ']':
        throw globError(`mismatched ']' in glob ${goQuote(g)}`);
      case '{':
        if (!inBraces) {
          inBraces = true;
          re += '(';
        } else if (prev === '{') {
          inRegexp = true;
          inBraces = false;
        } else {
          throw globError(`can't nest '{' '}' in glob ${goQuote(g)}`);
        }
        break;
      case '}':
        if (!inBraces) throw globError(`mismatched '{' and '}' in glob ${goQuote(g)}`);
        re += ')';
        inBraces = false;
        break;
      case ',':
        re += inBraces ? '|' : ',';
        break;
      case '.': case '+': case '(': case ')': case '|': case '^': case '$':
        re += '\\' + c;
        break;
      default:
        re += c;
    }
  }
  flushStars();
  if (inBrackets > 0) throw globError(`mismatched '[' and ']' in glob ${goQuote(g)}`);
  if (inBraces) throw globError(`mismatched '{' and '}' in glob ${goQuote(g)}`);
  if (inRegexp) throw globError(`mismatched '{{' and '}}' in glob ${goQuote(g)}`);
  return re + '$';
}

/** Compiles an rclone glob (see {@link globToRegexpSource}); invalid embedded regexps fail as rclone's `bad glob pattern`. */
export function globToRegexp(glob: string, ignoreCase = false): CompiledGlob {
  const source = globToRegexpSource(glob, ignoreCase);
  try {
    return { source, regexp: compileGoRegexp(source) };
  } catch (err) {
    if (!(err instanceof GoRegexpError)) throw err;
    const stripped = glob.startsWith('/') ? glob.slice(1) : glob;
    throw invalidArgument(`bad glob pattern ${goQuote(stripped)} (regexp ${goQuote(source)}): ${err.message}`, err);
  }
}

// Globs whose directory part cannot be worked out: `/` or `**` inside braces, or embedded regexps.
const TOO_HARD = /(\{[^{}]*(\*\*|\/)[^{}]*\})|\{\{|\}\}/;

/**
 * rclone's globToDirGlobs: the directory globs (each ending in `/`) that a directory must match for `glob` to be
 * able to match something inside it; `["/**"]` when any directory might.
 */
export function globToDirGlobs(glob: string): string[] {
  if (TOO_HARD.test(glob)) return ['/**'];
  let g = glob.replace(/\/{2,}/g, '/');
  const out: string[] = [];
  for (;;) {
    let i = g.lastIndexOf('/');
    const j = g.lastIndexOf('**');
    let what = '';
    if (j > i) {
      i = j;
      what = '**';
    }
    if (i < 0) {
      if (out.length === 0) out.push('/**');
      break;
    }
    g = g.slice(0, i);
    const dirGlob = g + what + '/';
    if (out.length === 0 || out[out.length - 1] !== dirGlob) out.push(dirGlob);
  }
  return out;
}
