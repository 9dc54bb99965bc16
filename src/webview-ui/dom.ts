/**
 * Element building for the webviews. Text always goes in as Text nodes and values through properties,
 * never as markup, so directory data cannot become HTML.
 */

export type Attrs = Readonly<Record<string, string | boolean | undefined>>;
export type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== undefined && child !== false) node.append(child);
  }
  return node;
}

export { format } from '../shared/text';
