export interface Caller {
  /** The token's `sub`. */
  userId: string;
}

/** Verifies a bearer token and names its user. */
export interface Identity {
  /** Throws UnauthorizedError for a missing, expired, forged or wrong-audience token. */
  verify(authorization: string | undefined): Promise<Caller>;
}
