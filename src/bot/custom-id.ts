/** Component custom ids: `prefix:arg:arg`, routed by their prefix (see interactions.ts). Discord allows 100 characters. */
export function customId(prefix: string, ...args: string[]): string {
  const id = [prefix, ...args].join(':');
  if (id.length > 100) throw new Error(`custom id too long: ${id}`);
  return id;
}
