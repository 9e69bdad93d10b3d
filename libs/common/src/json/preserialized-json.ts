/**
 * A value already serialized to JSON text, sent to the client as is: pages of views that
 * PostgreSQL built as JSON reach the client without being parsed and stringified again (the API's
 * reply serializer sends `text`). Whatever else serializes one gets the parsed value (toJSON).
 */
export class PreserializedJson<T> {
  constructor(readonly text: string) {}

  /** The value, parsed: for the few callers that look inside (GeoJSON, tests). */
  value(): T {
    return JSON.parse(this.text) as T;
  }

  toJSON(): T {
    return this.value();
  }
}

/** `JSON.stringify`, except that a PreserializedJson payload is its own text. */
export function serializeReply(payload: unknown): string {
  return payload instanceof PreserializedJson ? payload.text : JSON.stringify(payload);
}
