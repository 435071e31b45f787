// The fault language: `<op>=<kind>[:<probability>|@<nth request>]`, e.g. `upload=reset@2`, `list=503:0.25`.

/** Which requests a fault rule matches (JFS commands by name: `delete` = dl/rm/dlDir/rmDir, `move` = mv/mvDir, …). */
export type FaultOp =
  | 'allocate' | 'upload' | 'download' | 'list' | 'token' | 'delete' | 'cleanup' | 'move' | 'copy' | 'mkdir' | 'cphash'
  | 'customer' | 'any';
/** What happens to a matched request. */
export type FaultKind =
  | '500' | '503' | '429' | 'reset' | 'truncate' | 'slow' | 'expire' | 'quota' | 'corrupt' | 'malformed' | 'huge';
/** The operation class of one request (`other` = everything the named classes do not cover). */
export type RequestOp = Exclude<FaultOp, 'any'> | 'other';

/** All fault ops, in documentation order. */
export const FAULT_OPS: readonly FaultOp[] = [
  'allocate', 'upload', 'download', 'list', 'token', 'delete', 'cleanup', 'move', 'copy', 'mkdir', 'cphash', 'customer', 'any',
];
/** All fault kinds, in documentation order. */
export const FAULT_KINDS: readonly FaultKind[] = ['500', '503', '429', 'reset', 'truncate', 'slow', 'expire', 'quota', 'corrupt', 'malformed', 'huge'];

/**
 * Whether a fault kind can act on a request of class `op`; a rule never matches (nor counts) other requests.
 * `corrupt` damages content, so it only applies to uploads and downloads; `malformed` and `huge` rewrite
 * documents, so they apply to everything except downloads (whose bodies are file content).
 */
export function faultApplies(kind: FaultKind, op: RequestOp): boolean {
  if (kind === 'corrupt') return op === 'upload' || op === 'download';
  if (kind === 'malformed' || kind === 'huge') return op !== 'download';
  return true;
}

/** One fault rule: fires on every matching request, with a probability, or on exactly the nth one. */
export interface FaultRule {
  /** The request class to match. */
  op: FaultOp;
  /** The fault to inject. */
  kind: FaultKind;
  /** Chance per matching request in [0, 1]; absent with `nth`. Default 1. */
  probability?: number;
  /** Fire only on the nth matching request (1-based). */
  nth?: number;
}

/** Parses one fault spec; throws an Error naming the problem. */
export function parseFaultSpec(spec: string): FaultRule {
  const m = /^([a-z]+)=([a-z0-9]+)(?:(:)([^@:]*)|(@)([^@:]*))?$/.exec(spec.trim());
  if (!m) throw new Error(`invalid fault spec ${JSON.stringify(spec)}: expected <op>=<kind>[:<probability>|@<nth>]`);
  const op = m[1] as FaultOp;
  const kind = m[2] as FaultKind;
  if (!FAULT_OPS.includes(op)) throw new Error(`invalid fault op ${JSON.stringify(op)} (one of ${FAULT_OPS.join(', ')})`);
  if (!FAULT_KINDS.includes(kind)) throw new Error(`invalid fault kind ${JSON.stringify(kind)} (one of ${FAULT_KINDS.join(', ')})`);
  if (m[3]) {
    const p = Number(m[4]);
    if (m[4] === '' || !Number.isFinite(p) || p < 0 || p > 1) throw new Error(`invalid fault probability ${JSON.stringify(m[4])} (0..1)`);
    return { op, kind, probability: p };
  }
  if (m[5]) {
    const n = Number(m[6]);
    if (!/^\d+$/.test(m[6] ?? '') || !Number.isSafeInteger(n) || n < 1) throw new Error(`invalid fault request number ${JSON.stringify(m[6])} (1, 2, …)`);
    return { op, kind, nth: n };
  }
  return { op, kind };
}

/** The canonical spec text of a rule. */
export function formatFaultSpec(rule: FaultRule): string {
  const base = `${rule.op}=${rule.kind}`;
  if (rule.nth !== undefined) return `${base}@${rule.nth}`;
  if (rule.probability !== undefined && rule.probability !== 1) return `${base}:${rule.probability}`;
  return base;
}

/** Checks a rule given as an object (e.g. from JSON) and returns a clean copy; throws on bad fields. */
export function normalizeFaultRule(input: unknown): FaultRule {
  if (typeof input === 'string') return parseFaultSpec(input);
  if (!input || typeof input !== 'object') throw new Error('a fault must be a spec string or {op, kind, probability?, nth?}');
  const r = input as Record<string, unknown>;
  let spec = `${String(r.op)}=${String(r.kind)}`;
  if (r.nth !== undefined) spec += `@${String(r.nth)}`;
  else if (r.probability !== undefined) spec += `:${String(r.probability)}`;
  return parseFaultSpec(spec);
}
