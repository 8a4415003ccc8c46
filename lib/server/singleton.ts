/**
 * Process-wide singletons. The custom server (tsx) and Next's server bundles each load their own
 * copy of our modules; keeping shared state on globalThis gives both the same instance.
 */
import "server-only";

export function singleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`rollgate.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  let value = store[key];
  if (value === undefined) {
    value = create();
    store[key] = value;
  }
  return value;
}

export function clearSingleton(name: string): void {
  Reflect.deleteProperty(globalThis, Symbol.for(`rollgate.${name}`));
}
