/**
 * Which registration this device holds for a session. The API has no "my registrations" route,
 * so the id answered at registration is remembered here (and recovered from the 409
 * WORKSHOP_ALREADY_REGISTERED's `meta.registrationId` on another device).
 */
const STORAGE_KEY = 'civic.workshopRegistrations';

function read(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function rememberedRegistration(sessionId: string): string | null {
  return read()[sessionId] ?? null;
}

export function rememberRegistration(sessionId: string, registrationId: string | null): void {
  const all = read();
  if (registrationId) all[sessionId] = registrationId;
  else delete all[sessionId];
  localStorage.setItem(STORAGE_KEY, JSON.stringify(all));
}
