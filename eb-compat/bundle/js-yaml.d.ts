// js-yaml 4 ships no type declarations; these cover the part the bundle tooling uses.
declare module 'js-yaml' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    /** With multi, the type handles every tag that starts with its own tag (here '!'). */
    multi?: boolean;
    construct?: (data: unknown, tag: string) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export class Schema {
    extend(types: Type[]): Schema;
  }
  export const DEFAULT_SCHEMA: Schema;
  export function load(text: string, options?: { schema?: Schema; filename?: string }): unknown;
  export function dump(value: unknown, options?: Record<string, unknown>): string;
}
