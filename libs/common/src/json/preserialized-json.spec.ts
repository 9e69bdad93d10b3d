import { PreserializedJson, serializeReply } from './preserialized-json';

describe('PreserializedJson', () => {
  it('is sent as its own text by the reply serializer, other payloads as JSON', () => {
    const page = new PreserializedJson<{ items: unknown[] }>('{"items":[{"id" : "a"}]}');
    expect(serializeReply(page)).toBe('{"items":[{"id" : "a"}]}');
    expect(serializeReply({ ok: true })).toBe('{"ok":true}');
  });

  it('gives its parsed value to whoever else serializes or reads it', () => {
    const page = new PreserializedJson<{ items: Array<{ id: string }> }>('{"items":[{"id":"a"}]}');
    expect(JSON.stringify({ page })).toBe('{"page":{"items":[{"id":"a"}]}}');
    expect(page.value().items[0].id).toBe('a');
  });
});
