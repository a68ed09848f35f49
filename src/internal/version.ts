/** The bosun version (kept equal to package.json's by a test). */
export const BOSUN_VERSION = '0.1.0';
