import { useEffect, useState } from 'preact/hooks';

/** The town the resident chose (slug and name), remembered on this device. */
export interface ChosenTown {
  slug: string;
  name: string;
}

const STORAGE_KEY = 'civic.town';
const listeners = new Set<(town: ChosenTown | null) => void>();

export function chosenTown(): ChosenTown | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as ChosenTown) : null;
  } catch {
    return null;
  }
}

export function chooseTown(town: ChosenTown): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(town));
  for (const listener of listeners) listener(town);
}

export function useTown(): ChosenTown | null {
  const [town, setTown] = useState(chosenTown);
  useEffect(() => {
    listeners.add(setTown);
    return () => void listeners.delete(setTown);
  }, []);
  return town;
}
