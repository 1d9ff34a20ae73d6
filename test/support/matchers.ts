import { expect } from 'vitest';

/**
 * Vitest's asymmetric matchers typed `unknown` instead of `any`: they stand in for a value inside
 * an expected object, where an `any` would switch off type checking of everything around it.
 */
export const stringContaining = (text: string): unknown => expect.stringContaining(text);
export const stringMatching = (pattern: string | RegExp): unknown => expect.stringMatching(pattern);
export const anyNumber = (): unknown => expect.any(Number);
export const closeTo = (value: number, digits: number): unknown => expect.closeTo(value, digits);
