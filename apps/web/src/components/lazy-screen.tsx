import { type ComponentType, type FunctionComponent, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Failure, Loading } from './async';

/**
 * A screen whose code is fetched the first time it is shown (a separate chunk from Vite's dynamic
 * import), so residents' phones never download the staff screens. A failed fetch (offline) shows
 * the error with a retry; the service worker keeps the chunk once fetched.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyScreen(props: P) {
    const [, setReady] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let current = true;
      pending ??= load();
      pending.then(
        (component) => {
          loaded = component;
          if (current) setReady(true);
        },
        (failure: unknown) => {
          pending = null;
          if (current) setError(failure);
        },
      );
      return () => void (current = false);
    }, [attempt]);
    if (loaded) return h(loaded as ComponentType<object>, props);
    if (error != null) return <Failure error={error} onRetry={() => (setError(null), setAttempt((n) => n + 1))} />;
    return <Loading />;
  };
}
