import type { Intent, IntentOf, IntentType } from '@schoolping/shared';

const DEVICE_KEY = 'schoolping-device';

/** This browser's name in intents: made once, kept; it only tells a person's devices apart. */
function deviceId(): string {
  try {
    const known = localStorage.getItem(DEVICE_KEY);
    if (known) return known;
    const made = `web-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(DEVICE_KEY, made);
    return made;
  } catch {
    return 'web';
  }
}

/** A new intent by this person from this device, dated by its clock (shown, never used to order). */
export function newIntent<T extends IntentType>(
  author: number,
  type: T,
  payload: IntentOf<T>['payload'],
): IntentOf<T> {
  const intent = {
    id: crypto.randomUUID(),
    author: String(author),
    device: deviceId(),
    createdAt: new Date().toISOString(),
    type,
    payload,
  } as Intent;
  return intent as IntentOf<T>;
}
