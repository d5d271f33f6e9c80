// The package version recorded in every result (a test checks it against package.json).
export const VERSION = '0.1.0';
