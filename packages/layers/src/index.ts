// Explicit named re-exports of the package's public API.
export {};
