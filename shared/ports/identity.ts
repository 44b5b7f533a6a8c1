export interface Caller {
  /** The token's `sub`. */
  userId: string;
}

/** The claims of a token the transport already verified (API Gateway's JWT authorizer), as it passes them. */
export type VerifiedClaims = Readonly<Record<string, string | number | boolean>>;

/** Verifies a bearer token and names its user. */
export interface Identity {
  /**
   * Throws UnauthorizedError for a missing, expired, forged or wrong-audience token. `verified` are the
   * claims of a token already verified in front of the service: they still pass the same checks of
   * times and subject, so both ways refuse the same tokens, but the signature is not checked again.
   */
  verify(authorization: string | undefined, verified?: VerifiedClaims): Promise<Caller>;
}
