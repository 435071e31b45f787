// Guesses a MIME type from a file name's extension, as the server derives it (default application/octet-stream).

const TYPES: Record<string, string> = {
  txt: 'text/plain', text: 'text/plain', log: 'text/plain', md: 'text/markdown', csv: 'text/csv',
  html: 'text/html', htm: 'text/html', css: 'text/css', xml: 'application/xml', json: 'application/json',
  js: 'application/javascript', pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip',
  tar: 'application/x-tar', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif',
  webp: 'image/webp', svg: 'image/svg+xml', heic: 'image/heic', mp3: 'audio/mpeg', wav: 'audio/wav',
  mp4: 'video/mp4', mov: 'video/quicktime', avi: 'video/x-msvideo', mkv: 'video/x-matroska',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The MIME type for `name` (by its last extension, case-insensitively). */
export function mimeFor(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'application/octet-stream';
  return TYPES[name.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

/** The legacy `mstyle` spelling of a MIME type (`text/plain` → `TEXT_PLAIN`). */
export function mstyleFor(mime: string): string {
  return mime.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
