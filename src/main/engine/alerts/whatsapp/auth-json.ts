// JSON for Baileys' auth state: its keys are Buffers and Uint8Arrays, which plain JSON turns
// into arrays of numbers. Same wire form as Baileys' BufferJSON ({ type: 'Buffer', data:
// base64 }), written here so the engine can read the stored link without loading Baileys.

export function toAuthJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    // Buffer.toJSON has already run by now: a Buffer arrives as { type: 'Buffer', data: number[] }.
    if (item instanceof Uint8Array) return { type: 'Buffer', data: Buffer.from(item).toString('base64') };
    if (isBufferJson(item)) return { type: 'Buffer', data: Array.isArray(item.data) ? Buffer.from(item.data).toString('base64') : item.data };
    return item;
  });
}

export function fromAuthJson(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (isBufferJson(item)) return typeof item.data === 'string' ? Buffer.from(item.data, 'base64') : Buffer.from(item.data);
    return item;
  });
}

function isBufferJson(item: unknown): item is { type: 'Buffer'; data: string | number[] } {
  if (typeof item !== 'object' || item === null || (item as { type?: unknown }).type !== 'Buffer') return false;
  const data = (item as { data?: unknown }).data;
  return typeof data === 'string' || Array.isArray(data);
}
