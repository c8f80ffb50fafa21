// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface PageState {
      /** Filled in on the sign-in page after activation; kept out of the URL. */
      email?: string;
    }
  }
}

export {};
