const FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "15 Mar 2027, 09:00", in the school's time zone whatever the device's. */
export function shortDateTime(iso: string): string {
  return FORMAT.format(new Date(iso));
}
