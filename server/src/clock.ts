/** Server time comes from here, so tests and support staff can run the server "as of" a date. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
