// How a composed resource finds its siblings: labels on the resource, and selectors that match
// this XR's resources by them. One vocabulary for every API; each API names its label keys once.

/** Select this XR's own composed resource (of the selector's kind). */
export const MINE = { matchControllerRef: true } as const;

export interface Selector {
  readonly matchControllerRef: true;
  readonly matchLabels?: Readonly<Record<string, string>>;
}

/** The label keys an API marks its composed resources with, by short name (`tier`, `part`). */
export class Labels<K extends string> {
  constructor(private readonly keys: Readonly<Record<K, string>>) {}

  /** The label key of `name`, e.g. `networks.drydock.dev/tier`. */
  key(name: K): string {
    return this.keys[name];
  }

  /** Metadata with these labels, for a base (`metadata: labels.on({ tier: 'public' })`). */
  on(values: Partial<Record<K, string>>): { labels: Record<string, string> } {
    return { labels: this.labels(values) };
  }

  /** Select this XR's composed resource carrying these labels (any of the kind, with none). */
  select(values: Partial<Record<K, string>> = {}): Selector {
    const matchLabels = this.labels(values);
    return Object.keys(matchLabels).length ? { ...MINE, matchLabels } : { ...MINE };
  }

  private labels(values: Partial<Record<K, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(values) as [K, string | undefined][]) if (value !== undefined) out[this.keys[name]] = value;
    return out;
  }
}
