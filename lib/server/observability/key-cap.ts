/**
 * The cardinality cap of Rollgate's own metrics. Flag keys and rollout ids are the only
 * label values that grow with use; each dimension admits its first `max` distinct values (in
 * the order they are first counted) as their own label, and every later one is counted under
 * `other`. An admitted value keeps its label for the life of the process, so a series never
 * moves between its own label and `other` (its counter would appear to reset).
 */
import "server-only";

export const OTHER_LABEL = "other";

export class KeyCap {
  private readonly admitted = new Set<string>();

  constructor(readonly max: number) {}

  /** `key` if it has (or gets) one of the `max` slots, else `other`. */
  label(key: string): string {
    if (this.admitted.has(key)) return key;
    if (this.admitted.size < this.max) {
      this.admitted.add(key);
      return key;
    }
    return OTHER_LABEL;
  }

  /** Values holding a slot. */
  get size(): number {
    return this.admitted.size;
  }
}

/** The two capped dimensions, shared by every series that carries them. */
export interface LabelCaps {
  flags: KeyCap;
  rollouts: KeyCap;
}

export function createLabelCaps(maxKeys: number): LabelCaps {
  return { flags: new KeyCap(maxKeys), rollouts: new KeyCap(maxKeys) };
}
