// Protocol errors: one class carries status, Java exception class and message; the router renders it per surface.

import { STATUS_CODES } from 'node:http';

/** Java exception classes the real server names in its error messages. */
export const Exc = {
  noSuchFile: 'no.jotta.backup.errors.NoSuchFileException',
  noSuchPath: 'no.jotta.backup.errors.NoSuchPathException',
  invalidArgument: 'no.jotta.backup.errors.InvalidArgumentException',
  uniqueFile: 'no.jotta.backup.errors.UniqueFileException',
  forbidden: 'no.jotta.backup.errors.ForbiddenException',
  quota: 'no.jotta.backup.errors.QuotaExceededException',
  corrupt: 'no.jotta.openapi.CorruptUploadOpenApiException',
  incomplete: 'no.jotta.openapi.IncompleteUploadOpenApiException',
  range: 'no.jotta.backup.errors.RequestedRangeNotSatisfiedException',
  badCredentials: 'org.springframework.security.authentication.BadCredentialsException',
  tokenMismatch: 'org.springframework.security.authentication.AuthenticationCredentialsNotFoundException',
  expired: 'org.springframework.security.authentication.CredentialsExpiredException',
  usernameNotFound: 'org.springframework.security.core.userdetails.UsernameNotFoundException',
  server: 'no.jotta.backup.errors.JFSInternalServerErrorException',
  unavailable: 'no.jotta.backup.errors.ServiceUnavailableException',
  tooMany: 'no.jotta.backup.errors.TooManyRequestsException',
  method: 'org.springframework.web.HttpRequestMethodNotSupportedException',
  tooLarge: 'no.jotta.backup.errors.RequestTooLargeException',
  conflict: 'no.jotta.backup.errors.ConflictException',
} as const;

const EXTRA_REASONS: Record<number, string> = { 420: 'Incomplete Upload', 460: 'Quota Exceeded', 509: 'Bandwidth Limit Exceeded' };

/** The HTTP reason phrase for a status. */
export function reasonPhrase(status: number): string {
  return EXTRA_REASONS[status] ?? STATUS_CODES[status] ?? 'Unknown';
}

/** An OAuth error body (`{"error","error_description"}`), used by the token endpoint. */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

/** A protocol error with its HTTP status, Java exception class and optional extra headers or OAuth body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly exception: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; oauth?: OAuthErrorBody } = {},
  ) {
    super(message);
  }
  /** The short exception name used as the JSON `error_id`. */
  get errorId(): string {
    return this.exception.slice(this.exception.lastIndexOf('.') + 1);
  }
}

/** 404 NoSuchFileException for a file path. */
export const noSuchFile = (path: string, prefix = 'File'): HttpError =>
  new HttpError(404, Exc.noSuchFile, `${prefix} ${path} does not exist`);
/** 404 NoSuchPathException for a directory path. */
export const noSuchPath = (path: string): HttpError => new HttpError(404, Exc.noSuchPath, `Directory ${path}`);
/** 400 InvalidArgumentException. */
export const badRequest = (message: string): HttpError => new HttpError(400, Exc.invalidArgument, message);
/** 409 UniqueFileException (name conflict). */
export const conflict = (message: string): HttpError => new HttpError(409, Exc.uniqueFile, message);
/** 403 ForbiddenException (virtual mountpoints, built-in devices). */
export const forbidden = (message: string): HttpError => new HttpError(403, Exc.forbidden, message);
/** 400 OAuth error from the token endpoint. */
export const oauthError = (error: string, description: string, status = 400): HttpError =>
  new HttpError(status, 'oauth', `${error}: ${description}`, { oauth: { error, error_description: description } });
