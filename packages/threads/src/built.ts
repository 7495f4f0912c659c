/**
 * The URL of a built module of this package. Workers need built JavaScript (Node 20 passes no tsx
 * loader to workers), so code running from src/ (tests) still starts members from dist/src/.
 */
export function builtModule(path: string): URL {
  const here = new URL(".", import.meta.url);
  const root = here.pathname.endsWith("/dist/src/") ? here : new URL("../dist/src/", here);
  return new URL(path, root);
}
