/**
 * Domain errors. The HTTP layer maps each class to a status in one place
 * (functions/http/middleware.ts); messages are Japanese because users read them.
 */
export class DomainError extends Error {
  readonly status: number = 400;
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override readonly status = 404;
  override name = 'NotFoundError';
}

/** Someone else changed the record first, or a state transition is no longer allowed. */
export class ConflictError extends DomainError {
  override readonly status = 409;
  override name = 'ConflictError';
}

export class UnauthenticatedError extends DomainError {
  override readonly status = 401;
  override name = 'UnauthenticatedError';
  constructor(message = 'サインインしてください。') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  override readonly status = 403;
  override name = 'ForbiddenError';
  constructor(message = 'この操作を行う権限がありません。') {
    super(message);
  }
}

/** A signed link that cannot be used (forged, expired, closed …); the message is what the person reads. */
export class LinkError extends DomainError {
  override name = 'LinkError';
  constructor(
    readonly reason: string,
    message: string,
    override readonly status: number = 403,
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  override readonly status = 413;
  override name = 'PayloadTooLargeError';
  constructor(message = '送信された内容が大きすぎます。') {
    super(message);
  }
}

/** Too many requests to one link in a short time (a scanner, or someone trying tokens): a page saying to wait. */
export class TooManyRequestsError extends DomainError {
  override readonly status = 429;
  override name = 'TooManyRequestsError';
  constructor(
    readonly retryAfterSeconds = 60,
    message = 'このリンクへのアクセスが短い時間に集中しています。1分ほど待ってから、もう一度開いてください。',
  ) {
    super(message);
  }
}

/** A use case refused what was asked for reasons that belong beside the form's fields. */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
  }
}
