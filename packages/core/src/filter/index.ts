// Public surface of rclone-compatible filtering: globs, rules, the Filter and listing helpers.

export { Filter, type FilterOptions, type RuleFile } from './filter.js';
export { filterListing, filterListingProbed, type FilterableEntry } from './listing.js';
export { singleFileFilter } from './single-file.js';
export { globToRegexp, globToRegexpSource, globToDirGlobs, type CompiledGlob } from './glob.js';
export { compileGoRegexp, translateGoRegexp, GoRegexpError, type TranslatedRegexp } from './go-regexp.js';
export { ruleString, ruleLines, cookLines, splitLines, type FilterRule } from './rules.js';
export { formatGoTime } from './go-time.js';
