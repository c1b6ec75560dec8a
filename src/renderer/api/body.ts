// How a request body goes on the wire. Pure (no DOM beyond Blob, which Node has too).

export interface EncodedBody {
  body: Blob | string | undefined;
  contentType: string | undefined;
}

/**
 * JSON for ordinary bodies; a Blob or File (an uploaded video) goes as its raw bytes with
 * `application/octet-stream`, whatever type the browser guessed for the file.
 */
export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return { body: undefined, contentType: undefined };
  if (typeof Blob !== 'undefined' && body instanceof Blob) return { body, contentType: 'application/octet-stream' };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** Query parameters for a request URL; undefined values are left out. */
export type QueryParams = Record<string, string | number | undefined>;

export function withQuery(url: URL, query: QueryParams | undefined): URL {
  if (!query) return url;
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}
