import { describe, expect, it } from 'vitest';
import { textParts } from './links';

describe('textParts', () => {
  it('makes web addresses links and leaves everything else as text', () => {
    expect(textParts('See https://school.example/trip. Thanks')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', href: 'https://school.example/trip' },
      { kind: 'text', text: '. Thanks' },
    ]);
  });

  it('never makes a link of anything but http and https', () => {
    const parts = textParts('javascript:alert(1) <a href="x">y</a> data:text/html,hi');
    expect(parts.every((part) => part.kind === 'text')).toBe(true);
  });
});
