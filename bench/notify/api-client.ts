/** A small JSON client of the Vestnik API for setting the benchmark up and reading results. */
export interface ApiClient {
  readonly base: string;
  /** Calls `/v1<path>`; any status but `expect` throws with the answer's body. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    expect?: number,
  ): Promise<T>;
  /** The same with another bearer token (the moderator's session). */
  as(token: string): ApiClient;
}

export function createApiClient(base: string, token: string): ApiClient {
  return {
    base,
    async call<T>(method: string, path: string, body?: unknown, expect = 200): Promise<T> {
      const response = await fetch(`${base}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status !== expect) {
        throw new Error(
          `bench: ${method} /v1${path} answered ${response.status}, expected ${expect}: ${text.slice(0, 500)}`,
        );
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
    as: (other) => createApiClient(base, other),
  };
}
