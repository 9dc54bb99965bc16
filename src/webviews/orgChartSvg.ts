/**
 * The org chart as a standalone SVG file: the people loaded, every manager expanded, with the page's layout. Names
 * are written as XML text (escaped), never as markup; the file has no script and no external reference.
 */
import { clipCharacters } from '../shared/text';
import { CARD, cardOrigin, connector, initialsOf, layoutChart } from '../shared/orgLayout';
import type { ChartPerson } from './protocol';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Cuts a line to fit a card (the file has no way to measure text). */
export interface SvgWords {
  title: string;
  disabled: string;
}

export function orgChartSvg(people: readonly ChartPerson[], words: SvgWords): string {
  const top = people.find((p) => p.managerId === '');
  if (!top) return `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><title>${xml(words.title)}</title></svg>\n`;
  const byId = new Map(people.map((p) => [p.id, p]));
  const layout = layoutChart(top.id, people.map((p) => ({ id: p.id, parentId: p.managerId === '' ? undefined : p.managerId })));
  const width = Math.max(1, layout.slots) * (CARD.width + CARD.gapX);
  const height = Math.max(1, layout.rows) * (CARD.height + CARD.gapY);
  const lines: string[] = [];
  const cards: string[] = [];
  for (const [id, placed] of layout.placed) {
    const person = byId.get(id) as ChartPerson;
    const manager = layout.placed.get(person.managerId);
    if (manager) lines.push(`<path d="${connector(manager, placed)}"/>`);
    const { x, y } = cardOrigin(placed);
    const detail = [person.jobTitle, person.department].filter((t) => t !== '').join(' · ');
    cards.push(
      `<g transform="translate(${x} ${y})" class="${person.disabled ? 'card disabled' : 'card'}">` +
        `<rect width="${CARD.width}" height="${CARD.height}" rx="6"/>` +
        `<circle cx="24" cy="${CARD.height / 2}" r="16"/><text class="initials" x="24" y="${CARD.height / 2 + 4}">${xml(initialsOf(person.displayName))}</text>` +
        `<text class="name" x="48" y="24">${xml(clipCharacters(person.displayName, 24))}</text>` +
        `<text class="detail" x="48" y="42">${xml(clipCharacters(person.disabled ? `${words.disabled} · ${detail}` : detail, 28))}</text>` +
        '</g>',
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Segoe UI, sans-serif">`,
    `<title>${xml(words.title)}</title>`,
    '<style>.card rect{fill:#fff;stroke:#8a8886}.card circle{fill:#0f6cbd}.initials{fill:#fff;font-size:12px;text-anchor:middle}' +
      '.name{font-size:13px;font-weight:600;fill:#242424}.detail{font-size:11px;fill:#616161}.disabled rect{stroke-dasharray:4 3;fill:#f5f5f5}' +
      '.disabled circle{fill:#8a8886}path{fill:none;stroke:#8a8886}</style>',
    `<g>${lines.join('')}</g>`,
    `<g>${cards.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
