// Jottacloud wire formats: document types, JFS/RFC 3339 times, JFS XML documents and the streamed liststream.

export * from './types.js';
export { parseJfsTime, parseRfc3339, formatJfsTime, formatRfc3339 } from './time.js';
export { parseJfsDocument } from './xml.js';
export { parseListStream, type ListStreamItem, type ListStreamOptions } from './liststream.js';
