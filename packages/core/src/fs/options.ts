// Backend option declarations (rclone fs.Option): one declaration drives flags, env names, config keys and help.

/** Value type of a backend option; decides parsing and help. */
export type OptionType = 'string' | 'bool' | 'int' | 'size' | 'duration' | 'encoding' | 'password';

/** One example value shown in help and the config wizard. */
export interface OptionExample {
  value: string;
  help: string;
}

/** A backend option, declared once (rclone `fs.Option`). */
export interface OptionSpec {
  /** snake_case name, identical to rclone's (`hard_delete`); also the config key. */
  name: string;
  /** Help text; the first line is a one-sentence summary. */
  help: string;
  /** @default 'string' */
  type?: OptionType;
  /** Default value in config-string form (`"10Mi"`, `"false"`, `"Slash,Dot"`); undefined = empty. */
  default?: string;
  /** Shown only in advanced help / config. */
  advanced?: boolean;
  /** Example values. */
  examples?: readonly OptionExample[];
  /** Only the example values are allowed. */
  exclusive?: boolean;
  /** Value is a secret: redacted by `config redacted` and never logged. */
  sensitive?: boolean;
  /** Must be set. */
  required?: boolean;
  /** One-letter short flag (`L` for local's copy_links). */
  shortOpt?: string;
  /** Flag and env name without the backend prefix (`--copy-links`, `RCLONE_COPY_LINKS`). */
  noPrefix?: boolean;
  /** Hidden from help and the wizard (stored state such as `token`). */
  hide?: boolean;
}

/** snake_case → kebab-case. */
export function kebab(name: string): string {
  return name.replaceAll('_', '-');
}

/** Long flag name without dashes: `jottacloud-hard-delete`, or `copy-links` for noPrefix options. */
export function optionFlagName(backend: string, spec: OptionSpec): string {
  return spec.noPrefix ? kebab(spec.name) : `${backend}-${kebab(spec.name)}`;
}

/** The always-prefixed flag name (`local-copy-links`), accepted even for noPrefix options. */
export function optionPrefixedFlagName(backend: string, spec: OptionSpec): string {
  return `${backend}-${kebab(spec.name)}`;
}

/** Env var suffix for a backend option: `JOTTACLOUD_HARD_DELETE` (prefix with `JSYNC_` or `RCLONE_`). */
export function optionEnvSuffix(backend: string, spec: OptionSpec): string {
  return `${backend}_${spec.name}`.toUpperCase().replaceAll('-', '_');
}

/** Env var suffix for a per-remote option: `CONFIG_MYREMOTE_HARD_DELETE` (the remote name is only upper-cased). */
export function configEnvSuffix(remote: string, optionName: string): string {
  return `CONFIG_${remote.toUpperCase()}_${optionName.toUpperCase().replaceAll('-', '_')}`;
}

/** Env prefixes jsync reads, most specific first: its own, then rclone's so existing scripts keep working. */
export const ENV_PREFIXES = ['JSYNC_', 'RCLONE_'] as const;
