// rclone's argsToMap for `config create|update|password|reconnect` arguments.

/** rclone argsToMap: `key value` pairs and/or `key=value` words, in order; a last key without value is an error. */
export function argsToMap(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    let key = args[i]!;
    let value: string;
    const eq = key.indexOf('=');
    if (eq >= 0) {
      value = key.slice(eq + 1);
      key = key.slice(0, eq);
    } else {
      i++;
      if (i >= args.length) throw new Error('found key without value');
      value = args[i]!;
    }
    out.set(key, value);
  }
  return out;
}
